package io.framewire.engine;

import io.framewire.api.ToolPlugin;
import io.framewire.events.EventPublisher;
import io.framewire.eventstore.EventStore;
import io.framewire.eventstore.EventTail;
import io.framewire.eventstore.StoreHealth;
import io.framewire.eventstore.EventWriter;
import io.framewire.eventstore.Retention;
import io.framewire.eventstore.SnapshotSettings;
import io.framewire.eventstore.Snapshots;
import io.framewire.metrics.EventMetrics;
import io.framewire.inference.ModelRegistry;
import io.framewire.inference.OnnxPlugin;
import io.framewire.metrics.InferenceMetrics;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.pipeline.store.PipelineDirectoryWatcher;
import io.framewire.pipeline.store.PipelineRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline engine: the models, the tools, the pipelines and the DAG service that runs them, with
 * their lifetimes. The one factory of it: the server, {@code framewire run} and the testkit build
 * their engine here, so a pipeline that runs in one runs in all.
 *
 * <p>Lifetime: {@link #create} loads the tools and pipelines (a pipeline naming a model loads it now,
 * once); {@link #start} starts what runs on the caller's actor system (the models' batching
 * streams, the DAG service, the pipelines directory watcher); {@link #stopModels} refuses new model
 * runs and closes each model once its runs settle (the server calls it after its sessions are
 * drained); {@link #stopEvents} writes the events still queued (after the sessions too); {@link
 * #close} stops the rest. The engine owns its {@link ModelRegistry} and its {@link EventStore}
 * (opened by {@link #create} when {@code framewire.events.enabled}, its writer started by {@link
 * #start}): nothing else opens or closes them.
 */
public final class Engine implements AutoCloseable {

  /** The dispatcher tools run on (they may block): never Pekko's default one. application.conf sizes it. */
  public static final String BLOCKING_DISPATCHER = "framewire-blocking-dispatcher";

  private static final Logger log = LoggerFactory.getLogger(Engine.class);
  private static final String ONNX = "onnx";

  private final EngineSettings settings;
  private final ToolRegistry tools;
  private final PipelineRegistry pipelines;
  private final Optional<ModelRegistry> models;
  private final Optional<EventStore> store;
  private EventWriter writer; // guarded by this; null until started, or without a store
  private Snapshots snapshots; // guarded by this; null until started, without a store or snapshots off
  private EventTail tail; // guarded by this; null until started, or without a store
  private Retention retention; // guarded by this; null until started, or without a store
  /** Told after each batch of events the writer committed (e.g. the sinks, to read at once). */
  private final List<Runnable> committedListeners = new CopyOnWriteArrayList<>();
  private DagPipelineService dag; // guarded by this; null until started
  private PipelineDirectoryWatcher watcher; // guarded by this; null: not watching
  private boolean closed; // guarded by this

  private Engine(EngineSettings settings, ToolRegistry tools, PipelineRegistry pipelines) {
    if (pipelines.tools() != tools) {
      throw new IllegalArgumentException("the pipeline registry was validated against other tools");
    }
    this.settings = settings;
    this.tools = tools;
    this.pipelines = pipelines;
    this.models = modelsOf(tools.plugin(ONNX));
    // Last: nothing after it can fail and leave the pool open.
    this.store = settings.events().enabled() ? Optional.of(EventStore.open(settings.events())) : Optional.empty();
  }

  /**
   * The built-in and ServiceLoader tools with {@code onnx} on the models of {@code
   * settings.inference()}, and the pipelines of the classpath and {@code settings.pipelinesDir()}.
   *
   * @throws io.framewire.pipeline.PipelineLoadException for a pipeline file that cannot be loaded
   * @throws io.framewire.events.EventStoreException if the event store cannot be opened or migrated
   */
  public static Engine create(EngineSettings settings) {
    return create(settings, List.of(), List.of());
  }

  /**
   * As {@link #create(EngineSettings)}, with {@code extraPlugins} next to the discovered ones and
   * {@code extraPipelines} after the built-in ones (before the directory's). An {@code onnx} plugin
   * among the extras replaces the engine's own (tests: models of their own folder or executor); the
   * engine then owns that plugin's models.
   */
  public static Engine create(
      EngineSettings settings, List<? extends ToolPlugin> extraPlugins, List<PipelineDefinition> extraPipelines) {
    List<ToolPlugin> plugins = new ArrayList<>(extraPlugins);
    if (plugins.stream().noneMatch(plugin -> ONNX.equals(plugin.id()))) {
      plugins.add(new OnnxPlugin(ModelRegistry.create(settings.inference())));
    }
    try {
      ToolRegistry tools = ToolRegistry.fromClasspath(plugins);
      return new Engine(settings, tools, PipelineRegistry.load(tools, extraPipelines, settings.pipelinesDir()));
    } catch (RuntimeException e) {
      // Models loaded by the pipelines validated before the failure.
      plugins.stream().filter(plugin -> ONNX.equals(plugin.id())).findFirst()
          .flatMap(plugin -> modelsOf(Optional.of(plugin))).ifPresent(ModelRegistry::close);
      throw e;
    }
  }

  /**
   * An engine over prepared registries (tests, embedding). If {@code tools} has an {@link
   * OnnxPlugin}, the engine owns its models from now on.
   *
   * @throws IllegalArgumentException if {@code pipelines} was validated against other tools
   */
  public static Engine of(EngineSettings settings, ToolRegistry tools, PipelineRegistry pipelines) {
    try {
      return new Engine(Objects.requireNonNull(settings, "settings"), tools, pipelines);
    } catch (RuntimeException e) {
      modelsOf(tools.plugin(ONNX)).ifPresent(ModelRegistry::close);
      throw e;
    }
  }

  /**
   * What {@code GET /models} answers: each model loaded by the {@code onnx} plugin of {@code tools}
   * ({@link io.framewire.inference.LoadedModel#describe}), by file name; empty without that plugin.
   */
  public static List<Map<String, Object>> modelsReport(ToolRegistry tools) {
    return modelsOf(tools.plugin(ONNX)).map(models -> models.loaded().stream()
            .sorted(java.util.Comparator.comparing(io.framewire.inference.LoadedModel::name))
            .map(io.framewire.inference.LoadedModel::describe).toList())
        .orElse(List.of());
  }

  private static Optional<ModelRegistry> modelsOf(Optional<ToolPlugin> onnx) {
    return onnx.filter(OnnxPlugin.class::isInstance).map(plugin -> ((OnnxPlugin) plugin).models());
  }

  public EngineSettings settings() {
    return settings;
  }

  public ToolRegistry tools() {
    return tools;
  }

  public PipelineRegistry pipelines() {
    return pipelines;
  }

  /** The models of the {@code onnx} tools, if the tools have framewire's {@link OnnxPlugin}. */
  public Optional<ModelRegistry> models() {
    return models;
  }

  /** The event store (queries, the sinks' outbox), if {@code framewire.events.enabled}. */
  public Optional<EventStore> eventStore() {
    return store;
  }

  /**
   * Where producers publish their frames' events: the store's batched writer once started, {@link
   * EventPublisher#NONE} without a store or before {@link #start}.
   */
  public synchronized EventPublisher events() {
    return snapshots != null ? snapshots : writer != null ? writer : EventPublisher.NONE;
  }

  /** The snapshots (their files), once started with a store and {@code framewire.events.snapshots} on. */
  public synchronized Optional<Snapshots> snapshots() {
    return Optional.ofNullable(snapshots);
  }

  /**
   * Runs {@code listener} on the event writer's thread after each batch it commits; it must be quick
   * and never block (e.g. tell an actor).
   */
  public void onEventsCommitted(Runnable listener) {
    committedListeners.add(listener);
  }

  /** The event writer's health, once started with a store. */
  public synchronized Optional<StoreHealth.Status> storeHealth() {
    return writer == null ? Optional.empty() : Optional.of(writer.health());
  }

  /** The live tail of the stored events, once started with a store. */
  public synchronized Optional<EventTail> eventTail() {
    return Optional.ofNullable(tail);
  }

  /** {@link #BLOCKING_DISPATCHER} of {@code system}. */
  public static Executor blockingExecutor(ActorSystem<?> system) {
    return system.dispatchers().lookup(DispatcherSelector.fromConfig(BLOCKING_DISPATCHER));
  }

  /** As {@link #start(Materializer, Executor, NodeTimers, InferenceMetrics, RemoteNodes, EventMetrics)}, counting nothing and every node here. */
  public DagPipelineService start(Materializer materializer, Executor blocking) {
    return start(materializer, blocking, NodeTimers.NONE, InferenceMetrics.unregistered(), RemoteNodes.NONE,
        EventMetrics.unregistered());
  }

  /** As {@link #start(Materializer, Executor, NodeTimers, InferenceMetrics, RemoteNodes, EventMetrics)}, the events counted nowhere. */
  public DagPipelineService start(Materializer materializer, Executor blocking, NodeTimers timers,
      InferenceMetrics inferenceMetrics, RemoteNodes remoteNodes) {
    return start(materializer, blocking, timers, inferenceMetrics, remoteNodes, EventMetrics.unregistered());
  }

  /**
   * Starts the models' batching streams, the DAG service and, when configured, hot reload of the
   * pipelines directory. Once.
   *
   * @param blocking where tools run (they may block), and where the onnx tools prepare their inputs
   * @param timers told how long each node of each run took
   * @param remoteNodes runs the nodes placed on workers (a cluster front), or {@link RemoteNodes#NONE}
   * @param eventMetrics where the event writer counts what it stored and dropped
   * @return the DAG service, also {@link #dag()} from now on
   */
  public synchronized DagPipelineService start(Materializer materializer, Executor blocking, NodeTimers timers,
      InferenceMetrics inferenceMetrics, RemoteNodes remoteNodes, EventMetrics eventMetrics) {
    if (closed || dag != null) {
      throw new IllegalStateException(closed ? "the engine is closed" : "the engine is already started");
    }
    models.ifPresent(m -> m.start(materializer, blocking, inferenceMetrics));
    store.ifPresent(s -> startEvents(s, eventMetrics, materializer));
    dag = new DagPipelineService(pipelines, tools, blocking, timers, remoteNodes);
    watcher = startWatcher();
    return dag;
  }

  /** The writer, the live tail it feeds after each commit, the snapshots in front of it, the retention sweep. */
  private void startEvents(EventStore s, EventMetrics eventMetrics, Materializer materializer) {
    SnapshotSettings snapshotSettings = settings.events().snapshots();
    tail = new EventTail(s, snapshotSettings.tailBuffer(), eventMetrics.snapshots);
    EventTail fed = tail;
    writer = EventWriter.start((batch, receivedAt) -> {
      s.append(batch, receivedAt);
      fed.committed(); // never throws: the batch is not written twice
      for (Runnable listener : committedListeners) {
        try {
          listener.run();
        } catch (RuntimeException e) {
          log.warn("a listener of the event store's commits failed: {}", e.toString()); // the batch stays written once
        }
      }
    }, settings.events(), eventMetrics, materializer);
    if (snapshotSettings.enabled()) {
      snapshots = Snapshots.start(writer, settings.events().snapshotsDir(), snapshotSettings, eventMetrics.snapshots);
    }
    retention = new Retention(s, settings.events().snapshotsDir(), snapshotSettings, eventMetrics.snapshots,
        Clock.systemUTC());
    retention.start();
  }

  /** Hot reload of {@code PIPELINES_DIR} when there is one and {@code framewire.pipelines.watch} is on. */
  private PipelineDirectoryWatcher startWatcher() {
    if (pipelines.directory().isEmpty() || !settings.watchPipelines()) {
      return null;
    }
    try {
      return PipelineDirectoryWatcher.start(pipelines, settings.watchDebounce());
    } catch (RuntimeException e) {
      // Serving without hot reload beats not serving; the API still works.
      log.error("pipelines directory will not be watched (no hot reload): {}", e.getMessage());
      return null;
    }
  }

  /** @throws IllegalStateException before {@link #start} */
  public synchronized DagPipelineService dag() {
    if (dag == null) {
      throw new IllegalStateException("the engine is not started");
    }
    return dag;
  }

  /** Whether the pipelines directory is hot-reloaded (since {@link #start}). */
  public synchronized boolean watchesPipelines() {
    return watcher != null;
  }

  /**
   * Refuses new model runs and closes each model once its runs in flight have settled (a run that
   * never settles keeps its model open rather than closing it under the run).
   *
   * @return completes when every model is closed
   */
  public CompletionStage<Done> stopModels() {
    return models.map(ModelRegistry::shutdown).orElse(CompletableFuture.completedFuture(Done.getInstance()));
  }

  /**
   * The event writer takes no more events and writes those queued (call it after the producers
   * stopped, before the materializer goes: the server's coordinated shutdown does). Idempotent.
   *
   * @return completes when the queued events are written
   */
  public CompletionStage<Done> stopEvents() {
    Snapshots drawing;
    EventWriter writing;
    EventTail tailing;
    synchronized (this) {
      drawing = snapshots;
      writing = writer;
      tailing = tail;
    }
    if (writing == null) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    if (drawing != null) {
      drawing.stop(5_000); // the snapshots queued are drawn; events go on to the writer without new ones
    }
    return writing.stop().whenComplete((done, failure) -> tailing.close());
  }

  /**
   * Stops the watcher and the DAG service (close the sessions first), then the models, waiting up to
   * 30 s for runs still in flight, then the event writer (up to 10 s for what is queued) and the
   * store. Idempotent.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (watcher != null) {
        watcher.close();
      }
      if (dag != null) {
        dag.close();
      }
      if (retention != null) {
        retention.close();
      }
    }
    models.ifPresent(ModelRegistry::close);
    try {
      stopEvents().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // The materializer went first (the actor system ended before stopEvents): what was queued is lost.
      log.warn("event writer did not finish cleanly: {}", e.toString());
    }
    store.ifPresent(EventStore::close);
  }
}
