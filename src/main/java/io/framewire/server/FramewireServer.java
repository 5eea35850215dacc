package io.framewire.server;

import io.framewire.App;
import io.framewire.http.AdminAccess;
import io.framewire.http.ApiRoutes;
import io.framewire.net.ConnectionGuard;
import io.framewire.net.ConnectionLimits;
import io.framewire.net.PublicListener;
import io.framewire.http.MetricsRoute;
import io.framewire.http.SourcesRoute;
import io.framewire.net.TlsFiles;
import io.framewire.http.VideoStreamRoute;
import io.framewire.http.WebClientRoute;
import io.framewire.http.WorkbenchRoutes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.framewire.cluster.ClusterSettings;
import io.framewire.cluster.FramewireCluster;
import io.framewire.inference.InferenceSettings;
import io.framewire.inference.ModelRegistry;
import io.framewire.inference.OnnxPlugin;
import io.framewire.metrics.InferenceMetrics;
import io.framewire.metrics.StreamMetrics;
import io.framewire.engine.RemoteNodes;
import io.framewire.engine.DagPipelineService;
import io.framewire.engine.NodeTimers;
import io.framewire.pipeline.store.PipelineDirectoryWatcher;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.video.VideoFilePipelineService;
import io.framewire.sources.SourceManager;
import io.framewire.sources.SourceSettings;
import io.framewire.streaming.PipelineSessions;
import io.framewire.streaming.SessionManager;
import io.framewire.streaming.StreamSettings;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.api.image.JpegDecoder;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running framewire: the actor system, the pipeline engine and the HTTP server. Started by
 * {@link App}, and by tests on 127.0.0.1 port 0 with their own tools and pipelines.
 */
public final class FramewireServer implements AutoCloseable {

  /** After every session ended at shutdown: time for their last bytes to reach the socket. */
  private static final Duration FLUSH_GRACE = Duration.ofMillis(500);

  public static final String BLOCKING_DISPATCHER = "framewire-blocking-dispatcher";
  private static final Logger log = LoggerFactory.getLogger(FramewireServer.class);

  private final ActorSystem<Void> system;
  private final PublicListener binding;
  private final Optional<ServerBinding> management;
  private final ConnectionGuard guard;
  private final ActorRef<SessionManager.Command> sessions;
  private final StreamMetrics metrics;
  private final DagPipelineService dag;
  private final FramewireCluster cluster; // null: single process, no cluster machinery

  private FramewireServer(
      ActorSystem<Void> system,
      PublicListener binding,
      Optional<ServerBinding> management,
      ConnectionGuard guard,
      ActorRef<SessionManager.Command> sessions,
      StreamMetrics metrics,
      DagPipelineService dag,
      FramewireCluster cluster) {
    this.system = system;
    this.binding = binding;
    this.management = management;
    this.guard = guard;
    this.sessions = sessions;
    this.metrics = metrics;
    this.dag = dag;
    this.cluster = cluster;
  }

  /**
   * Starts with the built-in tools, the {@code onnx} tools on the models of {@code
   * framewire.inference.models-dir}, and the pipelines of the classpath and {@code
   * framewire.pipelines.dir}. A pipeline naming a model loads it now, once.
   */
  public static FramewireServer start(Config config) {
    ModelRegistry models = ModelRegistry.create(InferenceSettings.fromConfig(config));
    try {
      ToolRegistry tools = ToolRegistry.fromClasspath(List.of(new OnnxPlugin(models)));
      String dir = config.getString("framewire.pipelines.dir");
      return start(config, tools, PipelineRegistry.load(tools, dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir))));
    } catch (RuntimeException e) {
      models.close(); // models loaded by pipelines validated before the failure
      throw e;
    }
  }

  /**
   * Starts the server and waits until it listens. If {@code tools} has an {@link OnnxPlugin}, its
   * {@link ModelRegistry} becomes this server's: started with the server (batching streams, metrics)
   * and closed in its coordinated shutdown, after the sessions.
   *
   * @throws IllegalStateException if the port cannot be bound
   */
  public static FramewireServer start(Config config, ToolRegistry tools, PipelineRegistry pipelines) {
    Optional<ModelRegistry> models = tools.plugin("onnx")
        .filter(OnnxPlugin.class::isInstance)
        .map(plugin -> ((OnnxPlugin) plugin).models());
    StreamSettings settings = StreamSettings.fromConfig(config);
    JpegDecoder.Backend decoder = JpegDecoder.configure(
        config.getString("framewire.jpeg.decoder"), Path.of(config.getString("framewire.jpeg.turbojpeg-jar")));
    log.info("JPEG decoder: {}", decoder);
    SourceSettings sourceSettings = SourceSettings.fromConfig(config);
    StreamMetrics metrics = new StreamMetrics(true);
    ConnectionLimits limits = ConnectionLimits.fromConfig(config);
    // Read and check the certificate and key before anything starts: a bad file is a startup error.
    Optional<TlsFiles> tls = TlsFiles.fromConfig(config);
    log.info("connection limits: {} in total{}, {} per client address, request headers within {} ms",
        limits.serverWide(),
        limits.fileDescriptorLimit().isPresent()
            ? " (file descriptor limit " + limits.fileDescriptorLimit().getAsLong() + ")" : "",
        limits.perAddress(), limits.headerTimeout().toMillis());
    CompletableFuture<FramewireServer> started = new CompletableFuture<>();
    Duration deadline = Duration.ofMillis(config.getLong("framewire.shutdown.deadline-ms"));
    if (deadline.toMillis() < 100) {
      throw new IllegalArgumentException("framewire.shutdown.deadline-ms must be at least 100");
    }
    ClusterSettings clusterSettings = ClusterSettings.fromConfig(config);
    // The drain runs in this phase: give it the whole deadline (its default timeout is 5 s).
    // Without CLUSTER_SEED_NODES the cluster overlay is empty: Pekko's local provider, no remoting.
    Config systemConfig = ConfigFactory.parseString(
            "pekko.coordinated-shutdown.phases.service-requests-done.timeout = " + (deadline.toMillis() + 1000) + " ms")
        .withFallback(clusterSettings.pekkoConfig(settings.maxFrameBytes()))
        .withFallback(withPekkoLogLevel(config));

    // The guardian wires everything, as in the pekko-http quickstart: one actor for sessions, routes, bind.
    ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
      Executor blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(BLOCKING_DISPATCHER));
      models.ifPresent(m -> m.start(
          Materializer.matFromSystem(ctx.getSystem()), blocking, new InferenceMetrics(metrics.registry())));
      FramewireCluster cluster = clusterSettings.enabled()
          ? FramewireCluster.start(ctx, clusterSettings, tools, blocking, metrics.registry(),
              settings.frameTimeout(), deadline)
          : null;
      RemoteNodes remoteNodes = cluster == null ? RemoteNodes.NONE : cluster.remoteNodes();
      DagPipelineService dag =
          new DagPipelineService(pipelines, tools, blocking, NodeTimers.of(metrics), remoteNodes);
      VideoFilePipelineService video =
          new VideoFilePipelineService(dag, Materializer.createMaterializer(ctx.getSystem()));
      ActorRef<SessionManager.Command> sessions =
          ctx.spawn(SessionManager.create(new PipelineSessions(dag), blocking, settings, metrics), "sessions");
      ActorRef<SourceManager.Command> liveSources =
          ctx.spawn(SourceManager.create(sourceSettings, video, metrics), "sources");
      PipelineDirectoryWatcher watcher = startWatcher(config, pipelines);
      ctx.getSystem().getWhenTerminated().thenRun(() -> {
        if (watcher != null) {
          watcher.close();
        }
        dag.close();
      });
      ObjectMapper mapper = new ObjectMapper();
      AdminAccess admin = new AdminAccess(config.getString("framewire.admin.token"));
      ApiRoutes api = new ApiRoutes(
          pipelines, mapper, ctx.getSystem(), sessions, cluster == null ? null : cluster::health);
      // A worker-only node serves health and metrics (for its supervisor and Prometheus), no sessions.
      Route routes = clusterSettings.isFront()
          ? Directives.concat(
              api.route(),
              new WorkbenchRoutes(pipelines, tools, admin, watcher != null, mapper).route(),
              new SourcesRoute(ctx.getSystem(), liveSources, sourceSettings, settings, admin, mapper, blocking).route(),
              new MetricsRoute(metrics).route(),
              new VideoStreamRoute(ctx.getSystem(), sessions, settings, metrics).route(),
              new WebClientRoute().route())
          : Directives.concat(api.route(), new MetricsRoute(metrics).route());
      String host = config.getString("framewire.http.host");
      int port = config.getInt("framewire.http.port");
      ConnectionGuard guard = new ConnectionGuard(limits, metrics);
      PublicListener.bind(ctx.getSystem(), host, port, routes, guard, tls.map(TlsFiles::context))
          .thenCompose(listener -> bindManagement(ctx.getSystem(), config, api, metrics)
              .whenComplete((none, failure) -> {
                if (failure != null) {
                  listener.unbind();
                }
              })
              .thenApply(management -> {
                addToCoordinatedShutdown(ctx.getSystem(), listener, sessions, deadline, models);
                return new FramewireServer(ctx.getSystem(), listener, management, guard, sessions, metrics, dag, cluster);
              }))
          .whenComplete((server, failure) -> {
            if (failure != null) {
              started.completeExceptionally(failure);
            } else {
              started.complete(server);
            }
          });
      return Behaviors.empty();
    }), "framewire", systemConfig);

    try {
      return started.get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      system.terminate();
      models.ifPresent(ModelRegistry::close);
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("could not start the HTTP server: " + cause.getMessage(), cause);
    }
  }

  /** Hot reload of {@code PIPELINES_DIR} when there is one and {@code framewire.pipelines.watch} is on. */
  private static PipelineDirectoryWatcher startWatcher(Config config, PipelineRegistry pipelines) {
    if (pipelines.directory().isEmpty() || !config.getBoolean("framewire.pipelines.watch")) {
      return null;
    }
    long debounceMs = config.getLong("framewire.pipelines.watch-debounce-ms");
    if (debounceMs < 0 || debounceMs > 1500) {
      throw new IllegalArgumentException("framewire.pipelines.watch-debounce-ms must be 0..1500");
    }
    try {
      return PipelineDirectoryWatcher.start(pipelines, Duration.ofMillis(debounceMs));
    } catch (RuntimeException e) {
      // Serving without hot reload beats not serving; the API still works.
      log.error("pipelines directory will not be watched (no hot reload): {}", e.getMessage());
      return null;
    }
  }

  /**
   * {@code /health} and {@code /metrics} on {@code framewire.management.port} as well (off when it is
   * negative), on a pekko-http binding of their own: monitoring keeps working while the public port
   * is flooded or at its connection limit. The mutating admin API stays on the public port only.
   */
  private static CompletionStage<Optional<ServerBinding>> bindManagement(
      ActorSystem<?> system, Config config, ApiRoutes api, StreamMetrics metrics) {
    int port = config.getInt("framewire.management.port");
    if (port < 0) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String host = config.getString("framewire.management.host");
    Route route = Directives.concat(api.healthRoute(), new MetricsRoute(metrics).route());
    return Http.get(system).newServerAt(host, port).bind(route)
        .thenApply(binding -> {
          log.info("management endpoints (/health, /metrics) on http://{}:{}/", host, binding.localAddress().getPort());
          return Optional.of(binding);
        });
  }

  /**
   * SIGTERM (or {@code CoordinatedShutdown.run}): stop accepting (service-unbind), then tell every
   * session to finish: the frame in flight is answered, then {@code server_shutting_down}, then the
   * close (service-requests-done); then the models close (service-stop). Sessions get the deadline
   * minus a second; what is left then is cut ({@link PublicListener#terminate}: every remaining
   * connection) so that the system stops within the deadline.
   */
  private static void addToCoordinatedShutdown(
      ActorSystem<?> system,
      PublicListener binding,
      ActorRef<SessionManager.Command> sessions,
      Duration deadline,
      Optional<ModelRegistry> models) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    // After the sessions (service-requests-done): models close once the runs in flight have settled.
    // If a run outlives this phase's timeout, its model stays open rather than closing under it.
    models.ifPresent(m -> shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "framewire-close-models", m::shutdown));
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "framewire-unbind", binding::unbind);
    Duration drainBudget = Duration.ofMillis(Math.max(deadline.toMillis() - 1000, deadline.toMillis() / 2));
    shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "framewire-drain-sessions", () -> {
      log.info("shutting down: finishing open sessions within {} ms", drainBudget.toMillis());
      return AskPattern.<SessionManager.Command, Done>ask(
              sessions, SessionManager.Drain::new, drainBudget, system.scheduler())
          .handle((done, timeout) -> {
            if (timeout != null) {
              log.warn("shutting down: sessions still open after {} ms; closing their connections",
                  drainBudget.toMillis());
            }
            return timeout == null;
          })
          // Every session ended: its last answers, server_shutting_down and the close frame may still
          // be on their way to the socket, and cutting now would lose them (seen under load). Give
          // them a short grace before closing what is left; past the budget, cut at once.
          .thenCompose(drained -> drained
              ? CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(
                      FLUSH_GRACE.toMillis(), TimeUnit.MILLISECONDS))
                  .thenCompose(v -> binding.terminate())
              : binding.terminate());
    });
  }

  public InetSocketAddress address() {
    return binding.localAddress();
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  /** The management port, if {@code framewire.management.port} is set. */
  public Optional<Integer> managementPort() {
    return management.map(b -> b.localAddress().getPort());
  }

  /** Admission of connections to the public port (open counts per address). */
  public ConnectionGuard connections() {
    return guard;
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public ActorRef<SessionManager.Command> sessions() {
    return sessions;
  }

  public StreamMetrics metrics() {
    return metrics;
  }

  public DagPipelineService pipelines() {
    return dag;
  }

  /** This node's cluster part, or empty for a single process. */
  public Optional<FramewireCluster> cluster() {
    return Optional.ofNullable(cluster);
  }

  /** Stops the server (through coordinated shutdown) and waits for the actor system to end. */
  @Override
  public void close() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  /**
   * {@code LOG_LEVEL} sets both Logback's level and {@code pekko.loglevel}; Logback spells warnings
   * {@code WARN}, Pekko {@code WARNING} (and refuses {@code WARN} with an error at startup), so
   * Logback's spelling is accepted for Pekko too.
   */
  public static Config withPekkoLogLevel(Config config) {
    return config.hasPath("pekko.loglevel") && config.getString("pekko.loglevel").equalsIgnoreCase("WARN")
        ? ConfigFactory.parseString("pekko.loglevel = WARNING").withFallback(config)
        : config;
  }
}
