package io.framewire.sinks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka broker for tests: one node in KRaft mode (broker and controller) from the
 * {@code kafka_2.13} artifacts on the test classpath, in a JVM of its own, on 127.0.0.1 and free
 * ports, its logs in a temp directory, so a stop and start keeps the topics and their records.
 */
final class KafkaBroker implements AutoCloseable {

  private final Path dir;
  private final int port;
  private Process process;

  KafkaBroker(Path dir) throws Exception {
    this.dir = dir;
    this.port = freePort();
    int controllerPort = freePort();
    Files.writeString(dir.resolve("server.properties"), String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
        "log.dirs=" + dir.resolve("data"),
        "num.partitions=3",
        "offsets.topic.replication.factor=1",
        "offsets.topic.num.partitions=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        ""));
    Process format = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
        "-c", dir.resolve("server.properties").toString()).redirectOutput(dir.resolve("format.log").toFile()).start();
    if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
      throw new IOException("kafka-storage format failed: " + Files.readString(dir.resolve("format.log")));
    }
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Starts the broker and returns once its port accepts connections. */
  KafkaBroker start() throws Exception {
    process = java("kafka.Kafka", dir.resolve("server.properties").toString())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile())).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return this;
      } catch (IOException notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IOException("kafka did not start: " + Files.readString(dir.resolve("broker.log")), notYet);
        }
        java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
      }
    }
  }

  /** Stops it (SIGTERM: a controlled shutdown) and waits for the process to end. */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private ProcessBuilder java(String main, String... args) {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new java.util.ArrayList<>(List.of(javaBin, "-Xmx512m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), main));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  private static int freePort() {
    return io.framewire.testing.FreePorts.pick();
  }
}
