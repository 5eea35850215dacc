package io.framewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/framewire.jar}, run as a user runs it ({@code bin/framewire}, which
 * execs java with the bounded-memory options and ParallelGC, or G1 with {@code FRAMEWIRE_GC=g1}):
 * it starts (so every Pekko
 * reference.conf was merged), logs its URL as JSON, serves the built-in pipelines over a real
 * WebSocket, and exits on SIGTERM; its exit writes the class-data archive (AppCDS) that the next start
 * of the same jar maps.
 */
class JarSmokeIT {

  @Test
  void theJarServesBuiltInPipelinesAndStopsOnSigterm() throws Exception {
    Path jar = Path.of("target", "framewire.jar");
    assertTrue(Files.isRegularFile(jar), "run after mvn package");
    // README's run command: bin/framewire runs the jar with the memory-bounding JVM options.
    Path archive = archiveDir.resolve("framewire.jsa");
    try (ServerProcess server = ServerProcess.start(launcher(archive))) {
      String listening = server.listeningLine(Duration.ofSeconds(60));
      assertTrue(listening.startsWith("{\""), "logs are JSON lines: " + listening);
      int p = server.port(Duration.ZERO);
      String commandLine = Files.readString(Path.of("/proc", Long.toString(server.process().pid()), "cmdline")).replace('\0', ' ');
      assertTrue(commandLine.contains("-Xmx736m") && commandLine.contains("-XX:+UseParallelGC")
              && commandLine.contains("-XX:MaxHeapFreeRatio=") && !commandLine.contains("G1"),
          "the launcher exec'd java with the bounded heap and ParallelGC: " + commandLine);
      assertTrue(metrics(p).contains("jvm_gc_collection_seconds_count{gc=\"PS Scavenge\""),
          "the JVM runs ParallelGC:\n" + metrics(p));
      assertTrue(commandLine.contains("-XX:ArchiveClassesAtExit=" + archive),
          "no archive yet: this run writes it when it exits: " + commandLine);

      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      // The packaged defaults: the embedded event store is on.
      assertEquals("{\"status\":\"ok\",\"events\":{\"status\":\"ok\"}}", health.body());

      try (WsTestClient client = WsTestClient.stream(p, "motion_codes")) {
        client.sendBinary(TestJpegs.qrCode("framewire", 240));
        JsonNode answer = client.next();
        assertEquals(0, answer.get("frame_index").asInt());
        assertEquals("framewire", answer.at("/result/codes/0/text").asText(), answer.toString());
        assertTrue(answer.at("/result/motion").has("regions"), answer.toString());
      }

      io.framewire.testing.TestServer.await("the disconnect is logged",
          () -> server.output().contains("\"event_type\":\"stream_disconnect\""));

      assertTrue(server.terminate(Duration.ofSeconds(30)), "exits after SIGTERM");
      assertTrue(server.output().contains("framewire shutting down"),
          "coordinated shutdown ran (exit " + server.process().exitValue() + "):\n" + server.output());
      assertFalse(server.output().contains("[cds]"), "the JVM's archiving notes stay out of the JSON log:\n" + server.output());
    }

    // The next start of the same jar maps the archive the first one wrote (AppCDS) and serves as
    // before, here with G1 chosen instead (FRAMEWIRE_GC=g1: regions for 5 MiB frames).
    assertTrue(Files.size(archive) > 1_000_000, "the class archive was written at exit");
    ProcessBuilder g1 = launcher(archive);
    g1.environment().put("FRAMEWIRE_GC", "g1");
    try (ServerProcess server = ServerProcess.start(g1)) {
      int p = server.port(Duration.ofSeconds(60));
      String commandLine = Files.readString(Path.of("/proc", Long.toString(server.process().pid()), "cmdline")).replace('\0', ' ');
      assertTrue(commandLine.contains("-XX:SharedArchiveFile=" + archive), commandLine);
      assertTrue(commandLine.contains("-Xmx736m") && commandLine.contains("-XX:+UseG1GC")
              && commandLine.contains("-XX:G1HeapRegionSize=16m") && !commandLine.contains("ParallelGC"),
          "FRAMEWIRE_GC=g1: " + commandLine);
      assertTrue(metrics(p).contains("jvm_gc_collection_seconds_count{gc=\"G1 Young Generation\""),
          "the JVM runs G1:\n" + metrics(p));
      HttpResponse<String> health = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      // The packaged defaults: the embedded event store is on.
      assertEquals("{\"status\":\"ok\",\"events\":{\"status\":\"ok\"}}", health.body());
      assertTrue(server.terminate(Duration.ofSeconds(30)), "exits after SIGTERM");
      assertFalse(server.output().contains("[cds]"), server.output());
    }
  }

  @Test
  void anUnknownCollectorIsRefusedBeforeJavaStarts() throws Exception {
    ProcessBuilder builder = launcher(archiveDir.resolve("framewire.jsa")).redirectErrorStream(true);
    builder.environment().put("FRAMEWIRE_GC", "zgc");
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), output);
    assertEquals(1, process.exitValue(), output);
    assertEquals("framewire: FRAMEWIRE_GC must be parallel, serial or g1, not 'zgc'\n", output);
  }

  private static String metrics(int port) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @TempDir
  Path archiveDir;

  /** README's run command, with the class-data archive in this test's own directory. */
  private static ProcessBuilder launcher(Path archive) {
    ProcessBuilder builder = new ProcessBuilder("sh", "bin/framewire");
    builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
    builder.environment().put("HTTP_HOST", "127.0.0.1");
    builder.environment().put("HTTP_PORT", "0");
    builder.environment().put("FRAMEWIRE_CDS_ARCHIVE", archive.toString());
    return builder;
  }
}
