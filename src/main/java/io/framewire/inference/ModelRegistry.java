package io.framewire.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.framewire.metrics.InferenceMetrics;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of loaded models, one per engine ({@code io.framewire.engine.Engine}, which the
 * server, {@code framewire run} and the testkit build). A model file is loaded the first time a pipeline
 * names it (when the pipeline is validated, at startup), and every later node, pipeline and session
 * naming the same file shares that one native session. {@link #start} gives each model its batching
 * stream once the engine's actor system runs; {@link #shutdown} (coordinated shutdown, after the
 * sessions are drained) closes every model once no run is inside it.
 *
 * <p>Tools reach it through the {@link OnnxPlugin} the engine constructs with it: the registry is
 * engine state, so it is passed in, never found through a global.
 */
public final class ModelRegistry implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

  private final InferenceSettings settings;
  private final Executor runExecutorOverride; // tests: a controllable executor; null in production
  private final Map<Path, LoadedModel> models = new ConcurrentHashMap<>();
  private volatile Started started;
  private boolean closing; // guarded by this

  private record Started(Materializer materializer, Executor cpu, InferenceMetrics metrics) {}

  private ModelRegistry(InferenceSettings settings, Executor runExecutorOverride) {
    this.settings = settings;
    this.runExecutorOverride = runExecutorOverride;
  }

  /**
   * @throws IllegalStateException if {@code provider} is cuda and the ONNX Runtime on the classpath
   *     has no CUDA execution provider
   */
  public static ModelRegistry create(InferenceSettings settings) {
    return create(settings, null);
  }

  /** As {@link #create(InferenceSettings)}, with every model run on {@code runExecutor} (tests). */
  public static ModelRegistry create(InferenceSettings settings, Executor runExecutor) {
    if (settings.provider() == InferenceSettings.Provider.CUDA) {
      requireCuda();
    }
    return new ModelRegistry(settings, runExecutor);
  }

  private static void requireCuda() {
    java.util.EnumSet<OrtProvider> available;
    try {
      available = OrtEnvironment.getAvailableProviders();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw new IllegalStateException("INFERENCE_PROVIDER=cuda: ONNX Runtime could not be loaded: " + e.getMessage(), e);
    }
    if (!available.contains(OrtProvider.CUDA)) {
      throw new IllegalStateException("INFERENCE_PROVIDER=cuda, but the ONNX Runtime in this build has no CUDA "
          + "execution provider (it has " + available + "). Build with the GPU runtime: "
          + "mvn -Donnxruntime.artifact=onnxruntime_gpu package (docs/models.md), or set INFERENCE_PROVIDER=cpu");
    }
  }

  public InferenceSettings settings() {
    return settings;
  }

  /**
   * The model file {@code name} inside MODELS_DIR.
   *
   * @throws IllegalArgumentException if the name is empty, escapes MODELS_DIR, or names no file
   */
  public Path resolve(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("param 'model' must not be empty: the name of a .onnx file in MODELS_DIR ("
          + settings.modelsDir() + ")");
    }
    Path dir = settings.modelsDir();
    Path file;
    try {
      file = dir.resolve(name).normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("param 'model': '" + name + "' is not a valid file name");
    }
    if (Path.of(name).isAbsolute() || !file.startsWith(dir) || file.equals(dir)) {
      throw new IllegalArgumentException("param 'model': '" + name + "' must name a file inside MODELS_DIR ("
          + dir + "); paths outside it are refused");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("model '" + name + "' not found in MODELS_DIR (" + dir + ")");
    }
    return file;
  }

  /**
   * The model of file {@code name}, loaded on first use and shared afterwards.
   *
   * @throws IllegalArgumentException if the file is missing, outside MODELS_DIR, not a model ONNX
   *     Runtime can load, or has inputs framewire cannot feed; the message names the file
   */
  public LoadedModel load(String name) {
    Path file = resolve(name);
    LoadedModel existing = models.get(file);
    if (existing != null) {
      return existing;
    }
    synchronized (this) {
      if (closing) {
        throw new IllegalStateException("models are shutting down");
      }
      return models.computeIfAbsent(file, f -> {
        LoadedModel model = open(settings.modelsDir().relativize(f).toString(), f);
        Started s = started;
        if (s != null) {
          model.start(s.materializer(), s.metrics(), settings);
        }
        return model;
      });
    }
  }

  private LoadedModel open(String name, Path file) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    int cores = Runtime.getRuntime().availableProcessors();
    boolean cpu = settings.provider() == InferenceSettings.Provider.CPU;
    // Measuring needs the model's own threads: a test's run executor keeps the static defaults.
    boolean measure = settings.tunes() && runExecutorOverride == null;
    int firstThreads = settings.intraOpThreads() != InferenceSettings.AUTO ? settings.intraOpThreads()
        : measure ? ModelTuner.threadsFor(settings, cpu, cores, 1) : 0;
    OrtSession session;
    try {
      session = openSession(env, file, firstThreads);
    } catch (OrtException e) {
      String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw new IllegalArgumentException("model '" + name + "' cannot be loaded by ONNX Runtime: " + message, e);
    }
    try {
      ModelInfo info = LoadedModel.readInfo(name, session);
      ModelPlan plan = ModelTuner.fixed(settings, info);
      if (measure) {
        long start = System.nanoTime();
        try {
          ModelTuner.Tuned tuned = ModelTuner.tune(env, info, settings, cores, session, firstThreads,
              threads -> openSession(env, file, threads));
          plan = tuned.plan();
          session = tuned.session();
          log.info("model '{}': measured in {} ms: {} run(s) of {} intra-op thread(s), max batch {}; "
              + "frames/s by layout {}, by batch {}", name, (System.nanoTime() - start) / 1_000_000,
              plan.concurrentRuns(), plan.intraOpThreads(), plan.maxBatch(), plan.layouts(), plan.batches());
        } catch (OrtException | RuntimeException e) {
          log.warn("model '{}': measuring it failed ({}); running it with {}", name, e.toString(), plan);
        }
      }
      ExecutorService owned = runExecutorOverride == null ? runThreads(name, plan.concurrentRuns()) : null;
      LoadedModel model = new LoadedModel(name, file, env, session, info, plan, settings.provider(),
          owned != null ? owned : runExecutorOverride, owned);
      log.info("loaded {} (provider {}, intra-op threads {}, concurrent runs {}, max batch {}, {})", model,
          settings.provider(), plan.intraOpThreads() == 0 ? "default" : plan.intraOpThreads(),
          plan.concurrentRuns(), plan.maxBatch(), plan.chosenBy());
      return model;
    } catch (OrtException | RuntimeException e) {
      try {
        session.close();
      } catch (OrtException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      if (e instanceof IllegalArgumentException bad) {
        throw bad;
      }
      throw new IllegalArgumentException("model '" + name + "' cannot be read: " + e.getMessage(), e);
    }
  }

  private OrtSession openSession(OrtEnvironment env, Path file, int intraOpThreads) throws OrtException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (intraOpThreads > 0) {
        options.setIntraOpNumThreads(intraOpThreads);
      }
      if (settings.provider() == InferenceSettings.Provider.CUDA) {
        options.addCUDA(0);
      }
      return env.createSession(file.toString(), options);
    }
  }

  /** The threads a model's runs happen on: one per concurrent run, daemon, named after the model. */
  private ExecutorService runThreads(String name, int threads) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory = runnable -> {
      Thread thread = new Thread(runnable, "framewire-inference-" + name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    return Executors.newFixedThreadPool(threads, factory);
  }

  /**
   * Starts every loaded model's batching stream, and those of models loaded later.
   *
   * @param cpu where tools prepare inputs and read outputs (decode, resize, NMS): the tool pool
   */
  public synchronized void start(Materializer materializer, Executor cpu, InferenceMetrics metrics) {
    if (started != null) {
      throw new IllegalStateException("already started");
    }
    started = new Started(materializer, cpu, metrics);
    models.values().forEach(m -> m.start(materializer, metrics, settings));
  }

  /**
   * Where tools do their CPU work around a model run.
   *
   * @throws IllegalStateException before {@link #start}
   */
  public Executor cpuExecutor() {
    Started s = started;
    if (s == null) {
      throw new IllegalStateException("inference is not running (the server has not started it)");
    }
    return s.cpu();
  }

  public List<LoadedModel> loaded() {
    return List.copyOf(models.values());
  }

  /**
   * Refuses new requests and loads, and closes every model once its runs in flight have settled.
   * Idempotent.
   *
   * @return completes when every model's native session is closed
   */
  public CompletionStage<Done> shutdown() {
    List<CompletableFuture<Done>> closing = new ArrayList<>();
    synchronized (this) {
      this.closing = true;
    }
    for (LoadedModel model : models.values()) {
      closing.add(model.shutdown().toCompletableFuture());
    }
    return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).thenApply(v -> Done.getInstance());
  }

  /** {@link #shutdown} and wait up to 30 s for runs in flight (a model still running stays open). */
  @Override
  public void close() {
    try {
      shutdown().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("models not closed: a run is still in flight ({})", e.toString());
    }
  }
}
