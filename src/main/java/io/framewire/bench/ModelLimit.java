package io.framewire.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The model-bound limit: one ONNX model run by ONNX Runtime Java alone, no framewire around it, in
 * every layout of parallel runs × intra-op threads that fits the cores (and with {@code --layouts}
 * the ones named), each for the same time on a constant input prepared once. The best layout's
 * frames/s is what framewire end to end is measured against (scripts/bench/model_bound.sh).
 *
 * <p>{@code java -cp framewire.jar io.framewire.bench.ModelLimit MODEL.onnx [--seconds S] [--warmup S]
 * [--batch B] [--cuda] [--layouts RUNSxTHREADS,...]}; prints one line per layout and the best as
 * {@code best runs=R threads=T fps=F}.
 */
public final class ModelLimit {

  private ModelLimit() {}

  public static void main(String[] args) throws Exception {
    String model = null;
    double seconds = 10;
    double warmup = 3;
    int batch = 1;
    boolean cuda = false;
    String layoutList = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--warmup" -> warmup = Double.parseDouble(args[++i]);
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--cuda" -> cuda = true;
        case "--layouts" -> layoutList = args[++i];
        default -> model = args[i];
      }
    }
    if (model == null) {
      System.err.println("usage: ModelLimit MODEL.onnx [--seconds S] [--warmup S] [--batch B] [--cuda] [--layouts 1x2,2x1]");
      System.exit(2);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    List<int[]> layouts = new ArrayList<>();
    if (layoutList != null) {
      for (String layout : layoutList.split(",")) {
        String[] rt = layout.trim().split("x");
        layouts.add(new int[] {Integer.parseInt(rt[0]), Integer.parseInt(rt[1])});
      }
    } else if (cuda) {
      layouts.add(new int[] {1, 0});
      layouts.add(new int[] {2, 0});
    } else {
      for (int runs = 1; runs <= cores; runs++) {
        for (int threads = 1; threads * runs <= cores; threads++) {
          layouts.add(new int[] {runs, threads});
        }
      }
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    double bestFps = 0;
    double bestCpu = 0;
    int[] best = null;
    for (int[] layout : layouts) {
      double[] fpsCpu = measure(env, model, layout[0], layout[1], batch, cuda, warmup, seconds);
      System.out.printf(Locale.ROOT, "runs=%d threads=%d batch=%d fps=%.2f cpu_ms_per_frame=%.1f%n",
          layout[0], layout[1], batch, fpsCpu[0], fpsCpu[1]);
      if (fpsCpu[0] > bestFps) {
        bestFps = fpsCpu[0];
        bestCpu = fpsCpu[1];
        best = layout;
      }
    }
    System.out.printf(Locale.ROOT, "best runs=%d threads=%d batch=%d fps=%.2f cpu_ms_per_frame=%.1f%n",
        best[0], best[1], batch, bestFps, bestCpu);
  }

  /** @return frames/s and the process's CPU milliseconds per frame over the window */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static double[] measure(OrtEnvironment env, String model, int runs, int threads, int batch, boolean cuda,
      double warmupSeconds, double seconds) throws Exception {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (threads > 0) {
        options.setIntraOpNumThreads(threads);
      }
      if (cuda) {
        options.addCUDA(0);
      }
      try (OrtSession session = env.createSession(model, options)) {
        String input = session.getInputNames().iterator().next();
        long[] shape = ((TensorInfo) session.getInputInfo().get(input).getInfo()).getShape().clone();
        shape[0] = batch;
        int floats = (int) (shape[0] * shape[1] * shape[2] * shape[3]);
        CyclicBarrier start = new CyclicBarrier(runs + 1);
        AtomicLong frames = new AtomicLong();
        long[] window = new long[2];
        List<Thread> workers = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
          Thread worker = new Thread(() -> {
            FloatBuffer buffer = ByteBuffer.allocateDirect(floats * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int i = 0; i < floats; i++) {
              buffer.put(i, (i % 255) / 255f);
            }
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, shape)) {
              Map<String, OnnxTensor> feed = Map.of(input, tensor);
              long warmEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
              while (System.nanoTime() < warmEnd) {
                session.run(feed).close();
              }
              start.await();
              start.await(); // the window is set
              while (System.nanoTime() < window[1]) {
                // Read the output as framewire does: the first output's floats into the heap.
                try (OrtSession.Result result = session.run(feed)) {
                  FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
                  out.get(new float[out.remaining()]);
                }
                if (System.nanoTime() <= window[1]) {
                  frames.addAndGet(batch);
                }
              }
            } catch (OrtException | java.util.concurrent.BrokenBarrierException | InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }, "model-limit-" + r);
          worker.setDaemon(true);
          workers.add(worker);
          worker.start();
        }
        start.await();
        long cpu0 = processCpuNanos();
        window[0] = System.nanoTime();
        window[1] = window[0] + (long) (seconds * 1e9);
        start.await();
        for (Thread worker : workers) {
          worker.join();
        }
        long cpu = processCpuNanos() - cpu0;
        return new double[] {frames.get() / seconds, frames.get() == 0 ? 0 : cpu / 1e6 / frames.get()};
      }
    }
  }
}
