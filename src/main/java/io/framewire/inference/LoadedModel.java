package io.framewire.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.framewire.metrics.InferenceMetrics;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model file loaded once ({@link ModelRegistry} is its only owner): the native ONNX Runtime
 * session, what was read from it at load ({@link ModelInfo}), and, once the server runs, its
 * batching stream ({@link InferenceBatcher}) fed by a bounded queue shared by every session.
 *
 * <p>Lifetime: {@link #shutdown} refuses new requests, lets the stream finish what it holds, fails
 * what can no longer run, and closes the native session only when no run is inside it any more.
 */
public final class LoadedModel {

  private static final Logger log = LoggerFactory.getLogger(LoadedModel.class);

  private final String name;
  private final Path path;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final ModelInfo info;
  private final ModelPlan plan;
  private final InferenceSettings.Provider provider;
  private final Executor runExecutor;
  private final ExecutorService ownedRunExecutor; // shut down with the model; null if given

  private volatile BoundedSourceQueue<InferenceBatcher.Request> queue;
  private volatile InferenceMetrics metrics = InferenceMetrics.unregistered();
  private volatile int queueSize;
  private int maxBatch = 1;
  /** Accepted requests not yet taken into a run (in the queue or the batch being gathered). */
  private final Set<InferenceBatcher.Request> waiting = ConcurrentHashMap.newKeySet();
  private final AtomicInteger running = new AtomicInteger();
  private final LongAdder runs = new LongAdder();
  private final LongAdder framesRun = new LongAdder();
  private final LongAdder runNanos = new LongAdder();
  private volatile boolean closing;
  private volatile boolean streamFinished = true; // until started, no stream can hold a request
  private final AtomicBoolean nativeClosed = new AtomicBoolean();
  private final CompletableFuture<Done> closed = new CompletableFuture<>();
  /** One reusable direct input buffer per run thread: ONNX Runtime reads it without a copy. */
  private final ThreadLocal<FloatBuffer> inputBuffers = new ThreadLocal<>();
  /**
   * Input arrays that runs have copied, for later frames' preprocessing. A frame's tensor (4.9 MB at
   * 640×640) lives from its preprocessing until a run copies it, often across a young collection:
   * a new one per frame was copied and promoted by the collector, and filled the old generation
   * with dead tensors (a full collection every few seconds under load); a reused one stays put.
   * Bounded: what the runs take at once, twice, plus two, and at most {@link #SPARE_INPUT_BYTES}.
   */
  private final ArrayBlockingQueue<float[]> spareInputs;
  static final long SPARE_INPUT_BYTES = 64L << 20;

  LoadedModel(String name, Path path, OrtEnvironment env, OrtSession session, ModelInfo info, ModelPlan plan,
      InferenceSettings.Provider provider, Executor runExecutor, ExecutorService ownedRunExecutor) {
    this.name = name;
    this.path = path;
    this.env = env;
    this.session = session;
    this.info = info;
    this.plan = plan;
    this.provider = provider;
    this.runExecutor = runExecutor;
    this.ownedRunExecutor = ownedRunExecutor;
    this.spareInputs = new ArrayBlockingQueue<>(spareInputCount(plan, info.inputSize()));
  }

  static int spareInputCount(ModelPlan plan, int inputSize) {
    long wanted = 2L * plan.concurrentRuns() * Math.max(1, plan.maxBatch()) + 2;
    long fit = SPARE_INPUT_BYTES / (4L * Math.max(1, inputSize));
    return (int) Math.max(1, Math.min(wanted, fit));
  }

  /** The model's file name in MODELS_DIR (the {@code model} param, and the metrics label). */
  public String name() {
    return name;
  }

  public Path path() {
    return path;
  }

  public ModelInfo info() {
    return info;
  }

  /** How this model runs: its knobs, as set or as measured at load. */
  public ModelPlan plan() {
    return plan;
  }

  /**
   * What {@code GET /models} shows of this model: file, input shape, batch mode, provider, the plan
   * (chosen batch, runs, threads, how, and the per-frame cost measured at each batch size), and
   * since start the runs, frames, mean batch, mean run cost per frame and the queue depth now.
   */
  public Map<String, Object> describe() {
    Map<String, Object> d = new java.util.LinkedHashMap<>();
    d.put("model", name);
    d.put("file", path.toString());
    d.put("input", info.inputName());
    d.put("input_shape", shapeList(info.inputShape()));
    d.put("output_shape", shapeList(info.outputShape()));
    d.put("batch_mode", info.batchFixedAtOne() ? "fixed" : "dynamic");
    d.put("provider", provider.name().toLowerCase(java.util.Locale.ROOT));
    d.put("max_batch", info.batchFixedAtOne() ? 1 : plan.maxBatch());
    d.put("concurrent_runs", plan.concurrentRuns());
    d.put("intra_op_threads", plan.intraOpThreads());
    d.put("chosen_by", plan.chosenBy());
    d.put("measured_layouts", plan.layouts().stream().map(l -> Map.of(
        "runs", l.runs(), "intra_op_threads", l.threads(), "frames_per_s", l.framesPerSecond())).toList());
    d.put("measured_batches", plan.batches().stream().map(b -> Map.of(
        "batch", b.batch(), "ms_per_frame", b.msPerFrame(), "frames_per_s", b.framesPerSecond())).toList());
    long runCount = runs.sum();
    long frameCount = framesRun.sum();
    d.put("runs", runCount);
    d.put("frames", frameCount);
    d.put("mean_batch", runCount == 0 ? 0.0 : Math.round(100.0 * frameCount / runCount) / 100.0);
    d.put("ms_per_frame", frameCount == 0 ? 0.0 : Math.round(runNanos.sum() / 1e4 / frameCount) / 100.0);
    d.put("queue_depth", waiting.size());
    d.put("queue_size", queueSize);
    return d;
  }

  private static List<Long> shapeList(long[] shape) {
    return Arrays.stream(shape).boxed().toList();
  }

  /** The most requests one run takes: 1 for a model whose batch dimension is fixed at 1. */
  public synchronized int maxBatch() {
    return maxBatch;
  }

  /** Reads shapes and metadata from a freshly created session; refuses what framewire cannot feed. */
  static ModelInfo readInfo(String name, OrtSession session) throws OrtException {
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1) {
      throw new IllegalArgumentException(
          "model '" + name + "' has " + inputs.size() + " inputs; framewire feeds models with one image input");
    }
    NodeInfo input = inputs.values().iterator().next();
    if (!(input.getInfo() instanceof TensorInfo in) || in.type != OnnxJavaType.FLOAT || in.getShape().length != 4) {
      throw new IllegalArgumentException("model '" + name + "' input '" + input.getName() + "' is " + input.getInfo()
          + "; framewire needs a float32 image tensor [N, C, H, W] (export with half=False)");
    }
    long[] shape = in.getShape().clone();
    if (shape[1] != 3) {
      throw new IllegalArgumentException(
          "model '" + name + "' input " + ModelInfo.shape(shape) + " must have 3 (RGB) channels");
    }
    if (shape[0] > 1) {
      throw new IllegalArgumentException("model '" + name + "' input " + ModelInfo.shape(shape)
          + " has a batch dimension fixed at " + shape[0] + "; export it with a dynamic batch (dynamic=True) or batch 1");
    }
    Map<String, String> metadata = Map.copyOf(session.getMetadata().getCustomMetadata());
    if (shape[2] < 1 || shape[3] < 1) {
      // Dynamic height/width: the size the model was exported for (Ultralytics writes imgsz), else 640.
      int[] imgsz = ModelInfo.parseImgsz(metadata.get("imgsz"));
      shape[2] = shape[2] < 1 ? (imgsz == null ? 640 : imgsz[0]) : shape[2];
      shape[3] = shape[3] < 1 ? (imgsz == null ? 640 : imgsz[1]) : shape[3];
    }
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    NodeInfo output = outputs.values().iterator().next();
    if (!(output.getInfo() instanceof TensorInfo out) || out.type != OnnxJavaType.FLOAT) {
      throw new IllegalArgumentException("model '" + name + "' first output '" + output.getName() + "' is "
          + output.getInfo() + "; framewire reads a float32 tensor");
    }
    return new ModelInfo(input.getName(), shape, 3, (int) shape[2], (int) shape[3], out.getShape().clone(),
        metadata, ModelInfo.parseNames(metadata.get("names")));
  }

  /** Starts the batching stream (once, when the server starts). */
  synchronized void start(Materializer materializer, InferenceMetrics metrics, InferenceSettings settings) {
    if (queue != null || closing) {
      return;
    }
    this.metrics = metrics;
    this.queueSize = settings.queueSize();
    this.maxBatch = info.batchFixedAtOne() ? 1 : plan.maxBatch();
    streamFinished = false; // before it runs: its completion callback may come at any time after
    Pair<BoundedSourceQueue<InferenceBatcher.Request>, CompletionStage<Done>> materialized;
    try {
      materialized = Source.<InferenceBatcher.Request>queue(settings.queueSize())
          .via(InferenceBatcher.flow(maxBatch, plan.concurrentRuns(), this::runBatch))
          .toMat(Sink.ignore(), Keep.both())
          .run(materializer);
    } catch (RuntimeException e) {
      streamFinished = true;
      throw e;
    }
    queue = materialized.first();
    metrics.queueDepth.labels(name).set(0);
    materialized.second().whenComplete((done, failure) -> {
      if (failure != null && !closing) {
        log.warn("model '{}': batching stream ended: {}", name, failure.toString());
      }
      streamFinished = true;
      // Whatever the stream still held will never run.
      for (InferenceBatcher.Request request : waiting) {
        if (waiting.remove(request)) {
          request.result().completeExceptionally(new IllegalStateException("model '" + name + "' stopped"));
        }
      }
      metrics.queueDepth.labels(name).set(0);
      closeNativeIfIdle();
    });
  }

  /**
   * Queues one image for the next run. Never blocks: a full queue fails the returned stage at once
   * with a {@link ModelBusyException}.
   *
   * @param input {@code C*H*W} floats, CHW order, as {@link #info()} describes
   */
  public CompletionStage<ModelOutput> infer(float[] input) {
    return infer(input, false);
  }

  /** An input array for {@link #inferRecycling}: a spare one (holding an earlier frame) or a new one. */
  float[] inputArray() {
    float[] spare = spareInputs.poll();
    return spare != null ? spare : new float[info.inputSize()];
  }

  /** Gives back an array from {@link #inputArray} that will not be run (e.g. its frame failed). */
  void giveBack(float[] input) {
    if (input.length == info.inputSize()) {
      spareInputs.offer(input); // dropped when enough are spare
    }
  }

  /**
   * As {@link #infer}, for an array from {@link #inputArray}: the model takes it back once a run has
   * copied it (or the request failed), so the caller must not touch it after this call.
   */
  CompletionStage<ModelOutput> inferRecycling(float[] input) {
    return infer(input, true);
  }

  private CompletionStage<ModelOutput> infer(float[] input, boolean recycle) {
    if (input.length != info.inputSize()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException(
          "input has " + input.length + " values, model '" + name + "' takes " + info.inputSize()));
    }
    RuntimeException refused = null;
    BoundedSourceQueue<InferenceBatcher.Request> q = queue;
    if (closing) {
      refused = new IllegalStateException("model '" + name + "' is shutting down");
    } else if (q == null) {
      refused = new IllegalStateException("model '" + name + "' is not running");
    } else {
      InferenceBatcher.Request request = new InferenceBatcher.Request(input, new CompletableFuture<>(), recycle);
      waiting.add(request);
      QueueOfferResult offered = q.offer(request);
      if (offered.isEnqueued()) {
        metrics.queueDepth.labels(name).inc();
        return request.result(); // the run gives the array back, however fast it is
      }
      waiting.remove(request);
      if (offered.equals(QueueOfferResult.dropped())) {
        metrics.busy.labels(name).inc();
        refused = new ModelBusyException(
            "model '" + name + "' is busy: its queue is full (INFERENCE_QUEUE_SIZE=" + queueSize + ")");
      } else {
        refused = new IllegalStateException("model '" + name + "' is shutting down");
      }
    }
    if (recycle) {
      giveBack(input);
    }
    return CompletableFuture.failedFuture(refused);
  }

  /** Called by the stream with each batch; completes with the batch size, never exceptionally. */
  private CompletionStage<Integer> runBatch(List<InferenceBatcher.Request> batch) {
    List<InferenceBatcher.Request> taken = batch.stream().filter(waiting::remove).toList();
    metrics.queueDepth.labels(name).dec(taken.size());
    if (taken.isEmpty()) {
      return CompletableFuture.completedFuture(0);
    }
    running.incrementAndGet();
    CompletableFuture<Integer> done = new CompletableFuture<>();
    try {
      runExecutor.execute(() -> {
        try {
          runNow(taken);
        } finally {
          done.complete(taken.size());
        }
      });
    } catch (RuntimeException rejected) {
      taken.forEach(r -> r.result().completeExceptionally(
          new IllegalStateException("model '" + name + "' cannot run: " + rejected.getMessage())));
      done.complete(taken.size());
    }
    return done.whenComplete((n, e) -> {
      running.decrementAndGet();
      closeNativeIfIdle();
    });
  }

  /** One OrtSession.run on the whole batch; each request gets its slice of the first output. */
  private void runNow(List<InferenceBatcher.Request> batch) {
    int n = batch.size();
    int per = info.inputSize();
    try {
      FloatBuffer buffer = inputBuffer(n * per);
      for (InferenceBatcher.Request request : batch) {
        buffer.put(request.input());
        if (request.recycle()) {
          spareInputs.offer(request.input()); // copied: the next frame may fill it
        }
      }
      buffer.flip();
      long[] shape = {n, info.channels(), info.height(), info.width()};
      long start = System.nanoTime();
      float[] values;
      long[] outShape;
      try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, shape);
          OrtSession.Result result = session.run(Map.of(info.inputName(), tensor))) {
        OnnxValue first = result.get(0);
        if (!(first instanceof OnnxTensor out)) {
          throw new IllegalStateException("first output is not a tensor");
        }
        outShape = out.getInfo().getShape();
        FloatBuffer floats = out.getFloatBuffer();
        values = new float[floats.remaining()];
        floats.get(values);
      }
      long took = System.nanoTime() - start;
      metrics.seconds.labels(name).observe(took / 1e9);
      runs.increment();
      framesRun.add(n);
      runNanos.add(took);
      metrics.batchSize.labels(name).observe(n);
      if (outShape.length == 0 || outShape[0] != n || values.length % n != 0) {
        throw new IllegalStateException("output " + Arrays.toString(outShape) + " has no batch dimension of " + n);
      }
      int slice = values.length / n;
      long[] itemShape = Arrays.copyOfRange(outShape, 1, outShape.length);
      if (n == 1) {
        batch.get(0).result().complete(new ModelOutput(values, itemShape)); // no second copy of a whole output
        return;
      }
      for (int i = 0; i < n; i++) {
        batch.get(i).result().complete(
            new ModelOutput(Arrays.copyOfRange(values, i * slice, (i + 1) * slice), itemShape));
      }
    } catch (OrtException | RuntimeException e) {
      log.debug("model '{}' run failed", name, e);
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      IllegalStateException failure = new IllegalStateException("model '" + name + "' run failed: " + message, e);
      batch.forEach(r -> r.result().completeExceptionally(failure));
    }
  }

  private FloatBuffer inputBuffer(int floats) {
    FloatBuffer buffer = inputBuffers.get();
    if (buffer == null || buffer.capacity() < floats) {
      buffer = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
      inputBuffers.set(buffer);
    }
    buffer.clear();
    buffer.limit(floats);
    return buffer;
  }

  /**
   * Refuses new requests, lets the requests already queued run, and closes the native session once
   * no run is inside it. Idempotent.
   *
   * @return completes when the native session is closed
   */
  CompletionStage<Done> shutdown() {
    BoundedSourceQueue<InferenceBatcher.Request> q;
    synchronized (this) {
      if (closing) {
        return closed;
      }
      closing = true;
      q = queue;
    }
    if (q != null) {
      q.complete(); // the stream runs what it holds, then finishes
    }
    closeNativeIfIdle();
    return closed;
  }

  /** Whether the native session has been closed (for tests and diagnostics). */
  public boolean isClosed() {
    return closed.isDone();
  }

  /** Requests in the queue's buffer, not yet taken by the batching stage (tests, diagnostics). */
  int queued() {
    BoundedSourceQueue<InferenceBatcher.Request> q = queue;
    return q == null ? 0 : q.size();
  }

  /**
   * Requests accepted and not yet in a run (queued, or in the batch being gathered): for the
   * batching tests and diagnostics (the queue is private; the metrics show only its depth).
   */
  public int waiting() {
    return waiting.size();
  }

  /** Runs in progress right now. */
  public int running() {
    return running.get();
  }

  private void closeNativeIfIdle() {
    if (!closing || !streamFinished || running.get() > 0 || !nativeClosed.compareAndSet(false, true)) {
      return;
    }
    try {
      session.close();
      log.info("closed model '{}'", name);
    } catch (OrtException | RuntimeException e) {
      log.warn("model '{}': closing its session failed: {}", name, e.toString());
    } finally {
      if (ownedRunExecutor != null) {
        ownedRunExecutor.shutdown();
      }
      closed.complete(Done.getInstance());
    }
  }

  @Override
  public String toString() {
    return "LoadedModel[" + name + ", input " + ModelInfo.shape(info.inputShape())
        + ", output " + ModelInfo.shape(info.outputShape()) + "]";
  }
}
