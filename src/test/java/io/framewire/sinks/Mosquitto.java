package io.framewire.sinks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real MQTT broker for tests: Debian's {@code mosquitto} binary on 127.0.0.1 and a free port,
 * with its own config and persistence file in a temp directory (so a stop and start keeps the
 * subscribers' sessions and their queued messages, as a broker restart in production does).
 */
final class Mosquitto implements AutoCloseable {

  private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

  private final Path dir;
  private final int port;
  private Process process;

  Mosquitto(Path dir) throws IOException {
    this(dir, List.of());
  }

  /** With {@code extraConfig} lines appended to its config (e.g. {@code max_inflight_messages 2}). */
  Mosquitto(Path dir, List<String> extraConfig) throws IOException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(BINARY + " is missing: apt-get install mosquitto (scripts/test.sh does)");
    }
    this.dir = dir;
    this.port = io.framewire.testing.FreePorts.pick();
    List<String> config = new ArrayList<>(List.of(
        "listener " + port + " 127.0.0.1",
        "allow_anonymous true",
        // As root, mosquitto would drop to user 'mosquitto', who may not write in the temp directory.
        "user " + System.getProperty("user.name"),
        "persistence true",
        "persistence_location " + dir + "/",
        "autosave_interval 1",
        "max_queued_messages 10000",
        "log_dest file " + dir.resolve("mosquitto.log")));
    config.addAll(extraConfig);
    config.add("");
    Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n", config));
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /** Starts the broker and returns once it accepts connections. */
  Mosquitto start() throws IOException {
    process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return this;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IOException("mosquitto did not start: " + Files.readString(dir.resolve("stdout.log")), notYet);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
      }
    }
  }

  /** Stops it gracefully (SIGTERM: it saves its sessions) and waits for the process to end. */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
