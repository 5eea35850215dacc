package io.framewire.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Chooses a model's knobs left {@code auto} by timing the model itself at load, on this machine and
 * execution provider: first how many runs in parallel (each with the cores divided among them as
 * intra-op threads) give the most frames/s at batch 1 (the best two timed twice), then, with that
 * layout, batches of 1, 2, 4 and 8 (dynamic-batch models only); the largest batch is the fastest
 * per frame, and batching stays off unless a batch beats batch 1 by {@value #BATCH_MARGIN_PERCENT} %,
 * so batching never costs throughput (on CPU the work grows with the batch; on a GPU batches win
 * by far).
 *
 * <p>Each measurement runs the model on a constant input for a window of about three runs (at
 * least {@value #MIN_WINDOW_MS} ms, at most {@value #MAX_WINDOW_MS} ms) after one warm-up run per
 * thread. Knobs that are set are kept as they are, and only the others are measured.
 */
final class ModelTuner {

  static final int BATCH_MARGIN_PERCENT = 3;
  static final long MIN_WINDOW_MS = 120;
  static final long MAX_WINDOW_MS = 2000;
  private static final int[] BATCHES = {1, 2, 4, 8};

  /** Opens a session of the model with {@code threads} intra-op threads (0: ONNX Runtime's default). */
  interface Sessions {
    OrtSession open(int threads) throws OrtException;
  }

  /** The plan and the session to run it on (the others opened for measuring are closed). */
  record Tuned(ModelPlan plan, OrtSession session) {}

  private ModelTuner() {}

  /** The plan for {@code settings} without measuring: auto knobs take their static defaults. */
  static ModelPlan fixed(InferenceSettings settings, ModelInfo info) {
    int batch = info.batchFixedAtOne() ? 1 : (settings.maxBatch() == InferenceSettings.AUTO ? 8 : settings.maxBatch());
    int runs = settings.concurrentRuns() == InferenceSettings.AUTO ? 1 : settings.concurrentRuns();
    int threads = settings.intraOpThreads() == InferenceSettings.AUTO ? 0 : settings.intraOpThreads();
    return new ModelPlan(batch, runs, threads, "settings", List.of(), List.of());
  }

  /**
   * Measures what {@code settings} leaves {@code auto}.
   *
   * @param first the session already open, with {@code firstThreads} intra-op threads
   */
  static Tuned tune(OrtEnvironment env, ModelInfo info, InferenceSettings settings, int cores,
      OrtSession first, int firstThreads, Sessions sessions) throws OrtException {
    boolean cpu = settings.provider() == InferenceSettings.Provider.CPU;
    List<Integer> runCandidates = new ArrayList<>();
    if (settings.concurrentRuns() != InferenceSettings.AUTO) {
      runCandidates.add(settings.concurrentRuns());
    } else {
      for (int runs : cpu ? new int[] {1, 2, cores} : new int[] {1, 2}) {
        if (runs <= Math.max(1, cpu ? cores : 2) && !runCandidates.contains(runs)) {
          runCandidates.add(runs);
        }
      }
    }
    Map<Integer, OrtSession> byThreads = new java.util.HashMap<>();
    byThreads.put(firstThreads, first);
    List<ModelPlan.Layout> layouts = new ArrayList<>();
    boolean tuned = false;
    try {
      for (int runs : runCandidates) {
        int threads = threadsFor(settings, cpu, cores, runs);
        OrtSession session = byThreads.get(threads);
        if (session == null) {
          session = sessions.open(threads);
          byThreads.put(threads, session);
        }
        layouts.add(new ModelPlan.Layout(runs, threads, measure(env, session, info, 1, runs)));
      }
      ModelPlan.Layout best = chooseLayout(layouts);
      if (layouts.size() > 1) {
        // One short timing each can favour a layout by chance (at load they share the cores with the
        // server's start and JIT): the best two are timed again, back to back, the runner-up first,
        // each keeping the mean of its two timings, and the rule applied to those.
        ModelPlan.Layout second = runnerUp(layouts, best);
        retime(layouts, second, measure(env, byThreads.get(second.threads()), info, 1, second.runs()));
        retime(layouts, best, measure(env, byThreads.get(best.threads()), info, 1, best.runs()));
        best = chooseLayout(layouts);
      }
      OrtSession chosen = byThreads.get(best.threads());
      List<ModelPlan.BatchCost> batches = new ArrayList<>();
      int maxBatch;
      if (info.batchFixedAtOne()) {
        maxBatch = 1;
      } else if (settings.maxBatch() != InferenceSettings.AUTO) {
        maxBatch = settings.maxBatch();
      } else {
        for (int batch : BATCHES) {
          double fps = batch == 1 ? best.framesPerSecond() : measure(env, chosen, info, batch, best.runs());
          batches.add(new ModelPlan.BatchCost(batch, round(1000.0 / fps), round(fps)));
        }
        maxBatch = chooseBatch(batches);
        if (maxBatch > 1) {
          // Batch 1 was timed first (with the layouts), the others after it: one timing each can
          // favour a batch by chance. The two are timed again, back to back, each keeping the mean
          // of its two timings, and the rule applied to those.
          retime(batches, 1, measure(env, chosen, info, 1, best.runs()));
          retime(batches, maxBatch, measure(env, chosen, info, maxBatch, best.runs()));
          maxBatch = chooseBatch(batches);
        }
      }
      if (batches.isEmpty()) {
        batches.add(new ModelPlan.BatchCost(1, round(1000.0 / best.framesPerSecond()), round(best.framesPerSecond())));
      }
      List<ModelPlan.Layout> sorted = layouts.stream()
          .map(l -> new ModelPlan.Layout(l.runs(), l.threads(), round(l.framesPerSecond())))
          .sorted(Comparator.comparingDouble(ModelPlan.Layout::framesPerSecond).reversed()).toList();
      ModelPlan plan = new ModelPlan(maxBatch, best.runs(), best.threads(), "measured", sorted, batches);
      byThreads.remove(best.threads());
      tuned = true;
      return new Tuned(plan, chosen);
    } finally {
      // Close what was opened for measuring and not chosen; after a failure the caller keeps `first`.
      for (OrtSession other : byThreads.values()) {
        if (tuned || other != first) {
          closeQuietly(other);
        }
      }
    }
  }

  /**
   * The batch with the most frames/s, if it beats batch 1 by {@value #BATCH_MARGIN_PERCENT} %;
   * else 1 (batching off): a batch only as fast as single frames adds latency for nothing.
   */
  static int chooseBatch(List<ModelPlan.BatchCost> batches) {
    double single = batches.stream().filter(b -> b.batch() == 1).findFirst()
        .map(ModelPlan.BatchCost::framesPerSecond).orElse(0.0);
    int chosen = 1;
    double bestFps = single * (1 + BATCH_MARGIN_PERCENT / 100.0);
    for (ModelPlan.BatchCost cost : batches) {
      if (cost.batch() > 1 && cost.framesPerSecond() > bestFps) {
        bestFps = cost.framesPerSecond();
        chosen = cost.batch();
      }
    }
    return chosen;
  }

  /**
   * The layout with the most frames/s; on a tie (within 2 %) the one listed first, which has fewer
   * runs: one run in flight keeps latency lowest.
   */
  static ModelPlan.Layout chooseLayout(List<ModelPlan.Layout> layouts) {
    ModelPlan.Layout best = layouts.get(0);
    for (ModelPlan.Layout layout : layouts) {
      if (layout.framesPerSecond() > best.framesPerSecond() * 1.02) {
        best = layout;
      }
    }
    return best;
  }

  /** The layout other than {@code best} with the most frames/s. */
  static ModelPlan.Layout runnerUp(List<ModelPlan.Layout> layouts, ModelPlan.Layout best) {
    return layouts.stream().filter(l -> l != best)
        .max(Comparator.comparingDouble(ModelPlan.Layout::framesPerSecond)).orElseThrow();
  }

  /** Replaces {@code layout} in {@code layouts} by one with the mean of its frames/s and {@code fps}. */
  static void retime(List<ModelPlan.Layout> layouts, ModelPlan.Layout layout, double fps) {
    int i = layouts.indexOf(layout);
    layouts.set(i, new ModelPlan.Layout(layout.runs(), layout.threads(), (layout.framesPerSecond() + fps) / 2));
  }

  /** Replaces {@code batch}'s cost in {@code batches} by the mean of its frames/s and {@code fps}. */
  static void retime(List<ModelPlan.BatchCost> batches, int batch, double fps) {
    for (int i = 0; i < batches.size(); i++) {
      ModelPlan.BatchCost cost = batches.get(i);
      if (cost.batch() == batch) {
        double mean = (cost.framesPerSecond() + fps) / 2;
        batches.set(i, new ModelPlan.BatchCost(batch, round(1000.0 / mean), round(mean)));
      }
    }
  }

  /** Intra-op threads for {@code runs} parallel runs: as set, else the cores divided among them (CPU). */
  static int threadsFor(InferenceSettings settings, boolean cpu, int cores, int runs) {
    if (settings.intraOpThreads() != InferenceSettings.AUTO) {
      return settings.intraOpThreads();
    }
    return cpu ? Math.max(1, cores / runs) : 0;
  }

  /** Frames/s of {@code runs} threads each running batches of {@code batch} on {@code session}. */
  static double measure(OrtEnvironment env, OrtSession session, ModelInfo info, int batch, int runs) throws OrtException {
    int per = info.inputSize();
    long[] shape = {batch, info.channels(), info.height(), info.width()};
    CyclicBarrier warmedUp = new CyclicBarrier(runs);
    AtomicLong frames = new AtomicLong();
    AtomicLong warmupNanos = new AtomicLong();
    AtomicLong start = new AtomicLong();
    AtomicLong end = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < runs; t++) {
      Thread thread = new Thread(() -> {
        FloatBuffer input = ByteBuffer.allocateDirect(batch * per * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < batch * per; i++) {
          input.put(i, 0.5f);
        }
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape)) {
          Map<String, OnnxTensor> feed = Map.of(info.inputName(), tensor);
          long w0 = System.nanoTime();
          session.run(feed).close();
          warmupNanos.accumulateAndGet(System.nanoTime() - w0, Math::max);
          if (warmedUp.await() == 0) {
            start.set(System.nanoTime());
          }
          warmedUp.await(); // everyone sees the start and the warm-up time
          long window = Math.min(MAX_WINDOW_MS * 1_000_000, Math.max(MIN_WINDOW_MS * 1_000_000, 3 * warmupNanos.get()));
          long stopAt = start.get() + window;
          do {
            session.run(feed).close();
            frames.addAndGet(batch);
          } while (System.nanoTime() < stopAt);
          end.accumulateAndGet(System.nanoTime(), Math::max);
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
          warmedUp.reset();
        }
      }, "framewire-model-tuner-" + t);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while measuring the model", e);
      }
    }
    Throwable failed = failure.get();
    if (failed instanceof OrtException ort) {
      throw ort;
    }
    if (failed != null) {
      throw new IllegalStateException("measuring the model failed: " + failed, failed);
    }
    return frames.get() * 1e9 / Math.max(1, end.get() - start.get());
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException | RuntimeException ignored) {
      // A session only opened for measuring: nothing runs on it any more.
    }
  }
}
