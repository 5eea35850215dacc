package io.framewire.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Arrays;
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

  private App() {}

  public static void main(String[] args) throws Exception {
    // Tools that ship in the same jar: `run …` (a pipeline over a video file or stream),
    // `bench …` (load tool), `echo-server …` (platform baseline).
    if (args.length > 0 && args[0].equals("run")) {
      io.framewire.cli.RunCommand.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("bench")) {
      io.framewire.bench.LoadTool.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    if (args.length > 0 && args[0].equals("echo-server")) {
      io.framewire.bench.BareEchoServer.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    // Not a static field: `run` configures logging for itself before anything creates a logger.
    Logger log = LoggerFactory.getLogger(App.class);
    Config config = ConfigFactory.load();
    FramewireServer server;
    try {
      server = FramewireServer.start(config);
    } catch (RuntimeException e) {
      log.error("framewire did not start: {}", e.getMessage());
      System.exit(1);
      return;
    }
    String host = config.getString("framewire.http.host");
    CoordinatedShutdown.get(server.system()).addTask(
        CoordinatedShutdown.PhaseBeforeServiceUnbind(), "log-shutdown", () -> {
          log.info("framewire shutting down");
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    boolean tls = !config.getString("framewire.tls.cert-file").isBlank();
    if (io.framewire.cluster.ClusterSettings.fromConfig(config).isFront()) {
      log.info("framewire listening on {}://{}:{}/ (stream at {}://{}:{}/ws/video/stream?pipeline_id=ID)",
          tls ? "https" : "http", host, server.port(), tls ? "wss" : "ws", host, server.port());
    } else {
      log.info("framewire listening on {}://{}:{}/ (cluster worker: /health and /metrics only)",
          tls ? "https" : "http", host, server.port());
    }
  }
}
