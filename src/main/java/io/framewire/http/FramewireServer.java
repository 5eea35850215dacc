package io.framewire.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.framewire.cluster.ClusterSettings;
import io.framewire.cluster.FramewireCluster;
import io.framewire.metrics.StreamMetrics;
import io.framewire.pipeline.RemoteNodes;
import io.framewire.pipeline.DagPipelineService;
import io.framewire.pipeline.PipelineRegistry;
import io.framewire.pipeline.VideoFilePipelineService;
import io.framewire.streaming.SessionManager;
import io.framewire.streaming.StreamSettings;
import io.framewire.tools.ToolRegistry;
import io.framewire.tools.image.JpegDecoder;
import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running framewire: the actor system, the pipeline engine and the HTTP server. Started by
 * {@link App}, and by tests on 127.0.0.1 port 0 with their own tools and pipelines.
 */
public final class FramewireServer implements AutoCloseable {

  public static final String BLOCKING_DISPATCHER = "framewire-blocking-dispatcher";
  private static final Logger log = LoggerFactory.getLogger(FramewireServer.class);

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final ActorRef<SessionManager.Command> sessions;
  private final StreamMetrics metrics;
  private final DagPipelineService dag;
  private final FramewireCluster cluster; // null: single process, no cluster machinery

  private FramewireServer(
      ActorSystem<Void> system,
      ServerBinding binding,
      ActorRef<SessionManager.Command> sessions,
      StreamMetrics metrics,
      DagPipelineService dag,
      FramewireCluster cluster) {
    this.system = system;
    this.binding = binding;
    this.sessions = sessions;
    this.metrics = metrics;
    this.dag = dag;
    this.cluster = cluster;
  }

  /** Starts with the built-in tools and the pipelines of the classpath and {@code framewire.pipelines.dir}. */
  public static FramewireServer start(Config config) {
    ToolRegistry tools = ToolRegistry.fromClasspath();
    String dir = config.getString("framewire.pipelines.dir");
    return start(config, tools, PipelineRegistry.load(tools, dir.isBlank() ? Optional.empty() : Optional.of(Path.of(dir))));
  }

  /**
   * Starts the server and waits until it listens.
   *
   * @throws IllegalStateException if the port cannot be bound
   */
  public static FramewireServer start(Config config, ToolRegistry tools, PipelineRegistry pipelines) {
    StreamSettings settings = StreamSettings.fromConfig(config);
    JpegDecoder.Backend decoder = JpegDecoder.configure(
        config.getString("framewire.jpeg.decoder"), Path.of(config.getString("framewire.jpeg.turbojpeg-jar")));
    log.info("JPEG decoder: {}", decoder);
    StreamMetrics metrics = new StreamMetrics(true);
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
        .withFallback(config);

    // The guardian wires everything, as in the pekko-http quickstart: one actor for sessions, routes, bind.
    ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
      Executor blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(BLOCKING_DISPATCHER));
      FramewireCluster cluster = clusterSettings.enabled()
          ? FramewireCluster.start(ctx, clusterSettings, tools, blocking, metrics.registry(),
              settings.frameTimeout(), deadline)
          : null;
      RemoteNodes remoteNodes = cluster == null ? RemoteNodes.NONE : cluster.remoteNodes();
      DagPipelineService dag = new DagPipelineService(pipelines, tools, blocking, remoteNodes);
      VideoFilePipelineService video = new VideoFilePipelineService(dag);
      ActorRef<SessionManager.Command> sessions =
          ctx.spawn(SessionManager.create(video, settings, metrics), "sessions");
      ObjectMapper mapper = new ObjectMapper();
      ApiRoutes api = cluster == null ? new ApiRoutes(pipelines, mapper) : new ApiRoutes(pipelines, mapper, cluster::health);
      // A worker-only node serves health and metrics (for its supervisor and Prometheus), no sessions.
      Route routes = clusterSettings.isFront()
          ? Directives.concat(
              api.route(),
              new MetricsRoute(metrics).route(),
              new VideoStreamRoute(ctx.getSystem(), sessions, video, settings, metrics).route(),
              new WebClientRoute().route())
          : Directives.concat(api.route(), new MetricsRoute(metrics).route());
      String host = config.getString("framewire.http.host");
      int port = config.getInt("framewire.http.port");
      Http.get(ctx.getSystem()).newServerAt(host, port).bind(routes)
          .whenComplete((binding, failure) -> {
            if (failure != null) {
              started.completeExceptionally(failure);
            } else {
              addToCoordinatedShutdown(ctx.getSystem(), binding, sessions, deadline);
              started.complete(new FramewireServer(ctx.getSystem(), binding, sessions, metrics, dag, cluster));
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
   * SIGTERM (or {@code CoordinatedShutdown.run}): stop accepting (service-unbind), then tell every
   * session to finish: the frame in flight is answered, then {@code server_shutting_down}, then the
   * close (service-requests-done). Sessions get the deadline minus a second; what is left then is cut
   * ({@link ServerBinding#terminate}) so that the system stops within the deadline.
   */
  private static void addToCoordinatedShutdown(
      ActorSystem<?> system,
      ServerBinding binding,
      ActorRef<SessionManager.Command> sessions,
      Duration deadline) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    shutdown.addTask(CoordinatedShutdown.PhaseServiceUnbind(), "framewire-unbind", binding::unbind);
    Duration drainBudget = Duration.ofMillis(Math.max(deadline.toMillis() - 1000, deadline.toMillis() / 2));
    Duration hardCut = Duration.ofMillis(Math.min(500, deadline.toMillis() / 4));
    shutdown.addTask(CoordinatedShutdown.PhaseServiceRequestsDone(), "framewire-drain-sessions", () -> {
      log.info("shutting down: finishing open sessions within {} ms", drainBudget.toMillis());
      return AskPattern.<SessionManager.Command, Done>ask(
              sessions, SessionManager.Drain::new, drainBudget, system.scheduler())
          .handle((done, timeout) -> {
            if (timeout != null) {
              log.warn("shutting down: sessions still open after {} ms; closing their connections",
                  drainBudget.toMillis());
            }
            return Done.getInstance();
          })
          .thenCompose(done -> binding.terminate(hardCut))
          .thenApply(terminated -> Done.getInstance());
    });
  }

  public InetSocketAddress address() {
    return binding.localAddress();
  }

  public int port() {
    return binding.localAddress().getPort();
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
}
