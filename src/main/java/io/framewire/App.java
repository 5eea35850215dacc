package io.framewire;

import io.framewire.server.FramewireServer;
import io.framewire.memory.IdleHeapRelease;
import io.framewire.settings.FramewireSettings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar framewire.jar}: starts the server with the built-in pipelines (and those of
 * {@code PIPELINES_DIR}) on {@code HTTP_HOST}:{@code HTTP_PORT}. SIGTERM runs Pekko's coordinated
 * shutdown, which unbinds, ends the sessions and stops the actor system. {@code java -jar
 * framewire.jar bench --help} runs the load tool instead (docs/benchmarks.md); {@code java -jar
 * framewire.jar run PIPELINE_ID INPUT} runs a pipeline over a video file or stream (docs/sources.md).
 */
public final class App {

  static final String USAGE = """
      Usage: java -jar framewire.jar                 start the server
             java -jar framewire.jar run PIPELINE_ID INPUT [--stride N] [--max-frames N] [--output FILE]
                                                     a pipeline over a video file or stream (docs/sources.md)
             java -jar framewire.jar bench --help    the load tool (docs/benchmarks.md)
             java -jar framewire.jar echo-server     bare WebSocket echo baseline
             java -jar framewire.jar --help          this text

      The server is configured by environment variables (or -D system properties; every setting
      is in docs/configuration.md), e.g.:
        HTTP_HOST=0.0.0.0 HTTP_PORT=9000 java -jar framewire.jar
        PIPELINES_DIR=./pipelines java -cp framewire.jar:my-tools.jar io.framewire.App
      """;

  /**
   * The subcommands that ship in the jar: name → the class whose {@code main} runs it. Named, not
   * imported, so the entry point depends on none of them (a command is a main class of its own).
   */
  static final Map<String, String> COMMANDS = Map.of(
      "run", "io.framewire.cli.RunCommand",          // a pipeline over a video file or stream
      "bench", "io.framewire.bench.LoadTool",        // the load tool
      "echo-server", "io.framewire.bench.BareEchoServer"); // bare WebSocket echo, the platform baseline

  private App() {}

  /** Runs {@code mainClass.main(args)}; what it throws is thrown as if it had been called directly. */
  static void runCommand(String mainClass, String[] args) throws Exception {
    Method main = Class.forName(mainClass).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  public static void main(String[] args) throws Exception {
    // Tools that ship in the same jar run instead of the server (COMMANDS).
    if (args.length > 0 && COMMANDS.containsKey(args[0])) {
      runCommand(COMMANDS.get(args[0]), Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0) {
      // The server takes no arguments (configuration is application.conf and environment
      // variables): anything else is a typo or a question, answered without binding a port.
      boolean help = Set.of("--help", "-h", "help").contains(args[0]);
      if (!help) {
        System.err.println("framewire: unknown argument '" + args[0] + "'");
      }
      (help ? System.out : System.err).print(USAGE);
      System.exit(help ? 0 : 2);
      return;
    }
    // Not a static field: `run` configures logging for itself before anything creates a logger.
    Logger log = LoggerFactory.getLogger(App.class);
    FramewireSettings settings;
    FramewireServer server;
    try {
      settings = FramewireSettings.load();
      // The process's heap, not one server's: owned here, stopped with the actor system. Started
      // first so that a bad setting stops the start like any other.
      IdleHeapRelease release = IdleHeapRelease.start(settings.memory().idleGc());
      server = FramewireServer.start(settings);
      if (release != null) {
        server.system().getWhenTerminated().thenRun(release::close);
      }
    } catch (RuntimeException e) {
      log.error("framewire did not start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    String host = settings.http().host();
    CoordinatedShutdown.get(server.system()).addTask(
        CoordinatedShutdown.PhaseBeforeServiceUnbind(), "log-shutdown", () -> {
          log.info("framewire shutting down");
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    boolean tls = settings.tls().enabled();
    if (settings.servesClients()) {
      log.info("framewire listening on {}://{}:{}/ (stream at {}://{}:{}/ws/video/stream?pipeline_id=ID)",
          tls ? "https" : "http", host, server.port(), tls ? "wss" : "ws", host, server.port());
    } else {
      log.info("framewire listening on {}://{}:{}/ (cluster worker: /health and /metrics only)",
          tls ? "https" : "http", host, server.port());
    }
  }
}
