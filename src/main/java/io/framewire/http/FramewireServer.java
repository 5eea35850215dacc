package io.framewire.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import io.framewire.metrics.StreamMetrics;
import io.framewire.pipeline.DagPipelineService;
import io.framewire.pipeline.PipelineDirectoryWatcher;
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

  private FramewireServer(
      ActorSystem<Void> system,
      ServerBinding binding,
      ActorRef<SessionManager.Command> sessions,
      StreamMetrics metrics,
      DagPipelineService dag) {
    this.system = system;
    this.binding = binding;
    this.sessions = sessions;
    this.metrics = metrics;
    this.dag = dag;
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
    // The drain runs in this phase: give it the whole deadline (its default timeout is 5 s).
    Config systemConfig = ConfigFactory.parseString(
            "pekko.coordinated-shutdown.phases.service-requests-done.timeout = " + (deadline.toMillis() + 1000) + " ms")
        .withFallback(config);

    // The guardian wires everything, as in the pekko-http quickstart: one actor for sessions, routes, bind.
    ActorSystem<Void> system = ActorSystem.create(Behaviors.setup(ctx -> {
      Executor blocking = ctx.getSystem().dispatchers().lookup(DispatcherSelector.fromConfig(BLOCKING_DISPATCHER));
      DagPipelineService dag = new DagPipelineService(pipelines, tools, blocking, metrics.nodeTimers());
      VideoFilePipelineService video = new VideoFilePipelineService(dag);
      ActorRef<SessionManager.Command> sessions =
          ctx.spawn(SessionManager.create(video, settings, metrics), "sessions");
      PipelineDirectoryWatcher watcher = startWatcher(config, pipelines);
      ctx.getSystem().getWhenTerminated().thenRun(() -> {
        if (watcher != null) {
          watcher.close();
        }
        dag.close();
      });
      ObjectMapper mapper = new ObjectMapper();
      AdminAccess admin = new AdminAccess(config.getString("framewire.admin.token"));
      Route routes = Directives.concat(
          new ApiRoutes(pipelines, mapper, ctx.getSystem(), sessions).route(),
          new WorkbenchRoutes(pipelines, tools, admin, watcher != null, mapper).route(),
          new MetricsRoute(metrics).route(),
          new VideoStreamRoute(ctx.getSystem(), sessions, video, settings, metrics).route(),
          new WebClientRoute().route());
      String host = config.getString("framewire.http.host");
      int port = config.getInt("framewire.http.port");
      Http.get(ctx.getSystem()).newServerAt(host, port).bind(routes)
          .whenComplete((binding, failure) -> {
            if (failure != null) {
              started.completeExceptionally(failure);
            } else {
              addToCoordinatedShutdown(ctx.getSystem(), binding, sessions, deadline);
              started.complete(new FramewireServer(ctx.getSystem(), binding, sessions, metrics, dag));
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

  /** Stops the server (through coordinated shutdown) and waits for the actor system to end. */
  @Override
  public void close() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }
}
