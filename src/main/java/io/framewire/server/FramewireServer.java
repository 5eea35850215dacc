package io.framewire.server;

import io.framewire.http.AdminAccess;
import io.framewire.http.ApiRoutes;
import io.framewire.http.ErrorResponses;
import io.framewire.http.EventsRoute;
import io.framewire.http.JobsRoute;
import io.framewire.jobs.JobService;
import io.framewire.net.ConnectionGuard;
import io.framewire.net.ConnectionLimits;
import io.framewire.net.PublicListener;
import io.framewire.http.McpRoute;
import io.framewire.mcp.FramewireMcp;
import io.framewire.http.MetricsRoute;
import io.framewire.http.SinksRoute;
import io.framewire.http.StreamGuard;
import io.framewire.http.SourcesRoute;
import io.framewire.net.TlsFiles;
import io.framewire.http.VideoStreamRoute;
import io.framewire.http.WebClientRoute;
import io.framewire.http.WorkbenchRoutes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.framewire.cluster.ClusterSettings;
import io.framewire.cluster.FramewireCluster;
import io.framewire.metrics.EventMetrics;
import io.framewire.metrics.JobMetrics;
import io.framewire.metrics.InferenceMetrics;
import io.framewire.metrics.StreamMetrics;
import io.framewire.engine.RemoteNodes;
import io.framewire.engine.DagPipelineService;
import io.framewire.engine.Engine;
import io.framewire.engine.NodeTimers;
import io.framewire.settings.FramewireSettings;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.video.VideoFilePipelineService;
import io.framewire.sources.ClusterSources;
import io.framewire.sources.LiveSources;
import io.framewire.sources.LocalSources;
import io.framewire.sources.SourceManager;
import io.framewire.streaming.PipelineSessions;
import io.framewire.streaming.SessionManager;
import io.framewire.streaming.StreamSettings;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.api.image.JpegDecoder;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import io.framewire.metrics.SinkMetrics;
import io.framewire.sinks.Sinks;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
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
 * {@code io.framewire.App}, and by tests on 127.0.0.1 port 0 with their own tools and pipelines.
 */
public final class FramewireServer implements AutoCloseable {

  /** After every session ended at shutdown: time for their last bytes to reach the socket. */
  private static final Duration FLUSH_GRACE = Duration.ofMillis(500);

  private static final Logger log = LoggerFactory.getLogger(FramewireServer.class);

  private final ActorSystem<Void> system;
  private final PublicListener binding;
  private final Optional<ServerBinding> management;
  private final ConnectionGuard guard;
  private final ActorRef<SessionManager.Command> sessions;
  private final StreamMetrics metrics;
  private final DagPipelineService dag;
  private final FramewireCluster cluster; // null: single process, no cluster machinery
  private final JobService jobs; // null: no event store, or a worker-only node

  private FramewireServer(
      ActorSystem<Void> system,
      PublicListener binding,
      Optional<ServerBinding> management,
      ConnectionGuard guard,
      ActorRef<SessionManager.Command> sessions,
      StreamMetrics metrics,
      DagPipelineService dag,
      FramewireCluster cluster,
      JobService jobs) {
    this.jobs = jobs;
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
   * Starts with the engine of {@code settings}: the built-in tools, the {@code onnx} tools on the
   * models of {@code framewire.inference.models-dir}, and the pipelines of the classpath and {@code
   * framewire.pipelines.dir}. A pipeline naming a model loads it now, once.
   */
  public static FramewireServer start(FramewireSettings settings) {
    return start(settings, Engine.create(settings.engine()));
  }

  /** Starts with an engine over these tools and pipelines (tests, embedding); see {@link Engine#of}. */
  public static FramewireServer start(FramewireSettings settings, ToolRegistry tools, PipelineRegistry pipelines) {
    return start(settings, Engine.of(settings.engine(), tools, pipelines));
  }

  /**
   * Starts the server on {@code engine} and waits until it listens. The server owns the engine from
   * now on: it starts it with the actor system (batching streams, metrics), closes its models in the
   * coordinated shutdown after the sessions, and the rest when the actor system has stopped.
   *
   * @throws IllegalStateException if the port cannot be bound
   */
  public static FramewireServer start(FramewireSettings settings, Engine engine) {
    try {
      return startOn(settings, engine);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  private static FramewireServer startOn(FramewireSettings settings, Engine engine) {
    StreamSettings stream = settings.stream();
    JpegDecoder.Backend decoder = JpegDecoder.configure(settings.jpeg().decoder(), settings.jpeg().turbojpegJar());
    log.info("JPEG decoder: {}", decoder);
    StreamMetrics metrics = new StreamMetrics(true);
    ConnectionLimits limits = settings.connections();
    // Read and check the certificate and key before anything starts: a bad file is a startup error.
    Optional<TlsFiles> tls = settings.tls().read();
    log.info("connection limits: {} in total{}, {} per client address, request headers within {} ms",
        limits.serverWide(),
        limits.fileDescriptorLimit().isPresent()
            ? " (file descriptor limit " + limits.fileDescriptorLimit().getAsLong() + ")" : "",
        limits.perAddress(), limits.headerTimeout().toMillis());
    CompletableFuture<FramewireServer> started = new CompletableFuture<>();
    Duration deadline = settings.shutdown().deadline();
    ClusterSettings clusterSettings = settings.cluster();
    // The drain runs in this phase: give it the whole deadline (its default timeout is 5 s).
    // Without CLUSTER_SEED_NODES the cluster overlay is empty: Pekko's local provider, no remoting.
    Config systemConfig = ConfigFactory.parseString(
            "pekko.coordinated-shutdown.phases.service-requests-done.timeout = " + (deadline.toMillis() + 1000) + " ms")
        .withFallback(clusterSettings.pekkoConfig(stream.maxFrameBytes()))
        .withFallback(clusterSettings.enabled() ? ClusterSources.pekkoConfig(settings.sources()) : ConfigFactory.empty())
        .withFallback(withPekkoLogLevel(settings.pekko()));

    // The guardian wires everything, as in the pekko-http quickstart: one actor for sessions, routes, bind.
    ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
      Executor blocking = Engine.blockingExecutor(ctx.getSystem());
      FramewireCluster cluster = clusterSettings.enabled()
          ? FramewireCluster.start(ctx, clusterSettings, engine.pipelines(), blocking, metrics.registry(),
              stream.frameTimeout(), deadline)
          : null;
      RemoteNodes remoteNodes = cluster == null ? RemoteNodes.NONE : cluster.remoteNodes();
      DagPipelineService dag = engine.start(Materializer.matFromSystem(ctx.getSystem()), blocking,
          NodeTimers.of(metrics), new InferenceMetrics(metrics.registry()), remoteNodes,
          new EventMetrics(metrics.registry()));
      ctx.getSystem().getWhenTerminated().thenRun(engine::close);
      VideoFilePipelineService video =
          new VideoFilePipelineService(dag, Materializer.createMaterializer(ctx.getSystem()));
      ActorRef<SessionManager.Command> sessions =
          ctx.spawn(SessionManager.create(new PipelineSessions(dag, engine.events()), blocking, stream, metrics),
              "sessions");
      // One process: its own cameras. A cluster: cameras sharded over the sources nodes, seen from any front.
      // A worker-only node has no cameras and serves no /sources: nothing of this starts there.
      LiveSources liveSources = clusterSettings.enabled() && !clusterSettings.isFront() && !clusterSettings.runsSources()
          ? null
          : clusterSettings.enabled()
          ? ClusterSources.start(ctx.getSystem(), ClusterSettings.SOURCES, settings.sources(), video, metrics,
              engine.events(), blocking)
          : new LocalSources(ctx.getSystem(),
              ctx.spawn(SourceManager.create(settings.sources(), video, metrics, engine.events()), "sources"), blocking);
      // Sinks read the store from their own positions; a worker-only node delivers nothing.
      Sinks sinks = clusterSettings.isFront()
          ? engine.eventStore().map(store -> Sinks.start(ctx.getSystem(), store, store.dataSource(), settings.sinks(),
              new SinkMetrics(metrics.registry()))).orElse(null)
          : null;
      if (sinks != null) {
        engine.onEventsCommitted(sinks::wake);
        engine.eventStore().ifPresent(store -> store.onRecreated(sinks::storeAgain));
        // Before the engine closes the store's connections (when the actor system has terminated).
        CoordinatedShutdown.get(ctx.getSystem()).addTask(CoordinatedShutdown.PhaseServiceStop(), "framewire-stop-sinks",
            () -> {
              sinks.close();
              return CompletableFuture.completedFuture(Done.getInstance());
            });
      }
      // Jobs are kept in the event store's database; a worker-only node runs none.
      JobService jobs = clusterSettings.isFront()
          ? engine.eventStore().map(store -> JobService.start(ctx.getSystem(), settings.jobs(),
              settings.engine().events().dataDir(), store.dataSource(), video, engine.events(), blocking,
              new JobMetrics(metrics.registry()))).orElse(null)
          : null;
      if (jobs != null) {
        // Before the engine closes the store's connections; a running job runs again at the next start.
        CoordinatedShutdown.get(ctx.getSystem()).addTask(CoordinatedShutdown.PhaseServiceStop(), "framewire-stop-jobs",
            jobs::stop);
      }
      ObjectMapper mapper = new ObjectMapper();
      AdminAccess admin = new AdminAccess(settings.admin().token().orElse(""));
      PipelineRegistry pipelines = engine.pipelines();
      ApiRoutes api = new ApiRoutes(pipelines, mapper, ctx.getSystem(), sessions, stream.managerAskTimeout(),
          cluster == null ? null : cluster::health, engine::storeHealth);
      // MCP's tools read what the routes read; a worker-only node serves none of it.
      FramewireMcp mcp = clusterSettings.isFront() && settings.mcp().enabled()
          ? FramewireMcp.start(settings.mcp(), new FramewireMcp.Services(pipelines, video,
              Optional.ofNullable(liveSources), engine.eventStore(), Materializer.matFromSystem(ctx.getSystem()),
              stream.frameTimeout(), stream.maxFramePixels(), Optional.ofNullable(jobs),
              // analyze_image reads paths as the jobs do; without them (no store), JOBS_INPUT_DIR alone.
              jobs != null ? Optional.of(jobs.inputDir()) : settings.jobs().inputDir()))
          : null;
      if (mcp != null) {
        ctx.getSystem().getWhenTerminated().thenRun(mcp::close);
      }
      // A worker-only node serves health and metrics (for its supervisor and Prometheus), no sessions.
      Route routes = clusterSettings.isFront()
          ? Directives.concat(
              api.route(),
              new WorkbenchRoutes(pipelines, engine.tools(), admin, engine.watchesPipelines(), mapper).route(),
              new SourcesRoute(liveSources, settings.sources(), stream, admin, mapper).route(),
              new MetricsRoute(metrics).route(),
              new EventsRoute(engine.eventStore(), engine.snapshots(), engine.eventTail(), stream, mapper, blocking)
                  .route(),
              sinks != null ? new SinksRoute(sinks, admin, new StreamGuard(stream), mapper).route() : SinksRoute.disabled(mapper),
              jobs != null ? new JobsRoute(jobs, admin, new StreamGuard(stream), mapper).route() : JobsRoute.disabled(mapper),
              mcp != null ? new McpRoute(mcp, stream, admin).route() : McpRoute.disabled(),
              new VideoStreamRoute(ctx.getSystem(), sessions, stream, metrics).route(),
              new WebClientRoute().route())
          : Directives.concat(api.route(), new MetricsRoute(metrics).route());
      routes = ErrorResponses.sealed(routes);
      ConnectionGuard guard = new ConnectionGuard(limits, metrics);
      PublicListener.bind(ctx.getSystem(), settings.http().host(), settings.http().port(), routes, guard,
              tls.map(TlsFiles::context))
          .thenCompose(listener -> bindManagement(ctx.getSystem(), settings.management(), api, metrics)
              .whenComplete((none, failure) -> {
                if (failure != null) {
                  listener.unbind();
                }
              })
              .thenApply(management -> {
                addToCoordinatedShutdown(ctx.getSystem(), listener, sessions, deadline, engine);
                return new FramewireServer(ctx.getSystem(), listener, management, guard, sessions, metrics, dag, cluster, jobs);
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
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("could not start the HTTP server: " + cause.getMessage(), cause);
    }
  }

  /**
   * {@code /health} and {@code /metrics} on {@code framewire.management.port} as well (off when it is
   * negative), on a pekko-http binding of their own: monitoring keeps working while the public port
   * is flooded or at its connection limit. The mutating admin API stays on the public port only.
   */
  private static CompletionStage<Optional<ServerBinding>> bindManagement(
      ActorSystem<?> system, FramewireSettings.Management settings, ApiRoutes api, StreamMetrics metrics) {
    if (settings.port().isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String host = settings.host();
    int port = settings.port().getAsInt();
    Route route = ErrorResponses.sealed(Directives.concat(api.healthRoute(), new MetricsRoute(metrics).route()));
    return Http.get(system).newServerAt(host, port).bind(route)
        .thenApply(binding -> {
          log.info("management endpoints (/health, /metrics) on http://{}:{}/", host, binding.localAddress().getPort());
          return Optional.of(binding);
        });
  }

  /**
   * SIGTERM (or {@code CoordinatedShutdown.run}): stop accepting (service-unbind), then tell every
   * session to finish: the frame in flight is answered, then {@code server_shutting_down}, then the
   * close (service-requests-done); then the models close and the queued events are written
   * (service-stop). Sessions get the deadline
   * minus a second; what is left then is cut ({@link PublicListener#terminate}: every remaining
   * connection) so that the system stops within the deadline.
   */
  private static void addToCoordinatedShutdown(
      ActorSystem<?> system,
      PublicListener binding,
      ActorRef<SessionManager.Command> sessions,
      Duration deadline,
      Engine engine) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    // After the sessions (service-requests-done): models close once the runs in flight have settled.
    // If a run outlives this phase's timeout, its model stays open rather than closing under it.
    shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "framewire-close-models", engine::stopModels);
    // After the sessions too: their last events are written while the materializer still runs.
    shutdown.addTask(CoordinatedShutdown.PhaseServiceStop(), "framewire-flush-events", engine::stopEvents);
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

  /** The engine's DAG service: runs pipelines, counts open tools and retired versions in use. */
  public DagPipelineService dag() {
    return dag;
  }

  /** The jobs ({@code /jobs}), empty without an event store or on a worker-only node. */
  public Optional<JobService> jobs() {
    return Optional.ofNullable(jobs);
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
