package io.framewire.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.events.EventStoreException;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event store's storage failing under a running server (docs/events.md, "When the storage
 * fails"): a full {@code DATA_DIR} (a small tmpfs), a deleted one, PostgreSQL stopped and back, a
 * corrupted or read-only database at start. While it fails, every frame is still answered and
 * {@code /health} says {@code degraded}; what the writer's queue holds is written once the fault
 * clears, by itself.
 */
class StorageFaultTest {

  private static final PipelineDefinition TICKING = PipelineJson.read(TickPlugin.pipeline("ticking", "thing"));
  private static final byte[] JPEG = TestJpegs.grayscale(64, 48, 128);

  @TempDir Path tmp;
  private final ObjectMapper json = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  private TestServer server(Map<String, Object> events) {
    Map<String, Object> settings = new java.util.HashMap<>(events);
    settings.put("framewire.events.enabled", true);
    settings.put("framewire.events.snapshots", false);
    return TestServer.start(settings, List.of(new TickPlugin()), List.of(TICKING));
  }

  @Test
  void aFullDataDirDegradesTheServerWhileFramesFlowAndNothingQueuedIsLost() throws Exception {
    Path data = tmp.resolve("small");
    Files.createDirectories(data);
    assumeTrue(mount(data, "size=2m"), "needs root to mount a 2 MB tmpfs (CI runs as root)");
    try (TestServer server = server(Map.of("framewire.events.data-dir", data.toString()));
        WsTestClient client = server.stream("ticking")) {
      frames(client, 5);
      awaitStored(server, 5);
      Path filler = data.resolve("filler");
      fill(filler);

      frames(client, 20); // each answered at once although nothing can be written
      TestServer.await("health degraded", () -> "degraded".equals(health(server).get("status").asText()));
      JsonNode degraded = health(server);
      assertEquals("failing", degraded.get("events").get("status").asText(), degraded.toString());
      assertTrue(degraded.get("events").get("detail").asText().toLowerCase().contains("full"), degraded.toString());
      assertTrue(metrics(server).contains("events_store_up 0.0"));

      Files.delete(filler);
      frames(client, 5);
      awaitStored(server, 30); // the 20 waited in the writer's queue
      TestServer.await("health ok", () -> "ok".equals(health(server).get("status").asText()));
      assertTrue(metrics(server).contains("events_dropped_total{reason=\"queue_full\",} 0.0"));
      assertTrue(metrics(server).contains("events_store_up 1.0"));
    } finally {
      umount(data);
    }
  }

  @Test
  void aDeletedDataDirIsMadeAgainAndIdsGoOn() throws Exception {
    Path data = tmp.resolve("data");
    try (TestServer server = server(Map.of("framewire.events.data-dir", data.toString()));
        WsTestClient client = server.stream("ticking")) {
      frames(client, 3);
      awaitStored(server, 3);
      deleteTree(data);

      frames(client, 3);
      TestServer.await("the three new events in a new database", () -> safeIds(server).equals(List.of(4L, 5L, 6L)));
      assertTrue(Files.exists(data.resolve(EventStore.SQLITE_FILE)));
      assertEquals("ok", health(server).get("status").asText());
    }
  }

  @Test
  void postgresStoppedAndBackLosesNothingTheQueueHeld() throws Exception {
    try (TestPostgres pg = TestPostgres.start();
        TestServer server = server(Map.of("framewire.events.db-url", pg.jdbcUrl(),
            "framewire.events.db-user", pg.user(), "framewire.events.data-dir", tmp.toString()));
        WsTestClient client = server.stream("ticking")) {
      frames(client, 5);
      awaitStored(server, 5);
      pg.stop();

      frames(client, 10);
      TestServer.await("health degraded", () -> "degraded".equals(health(server).get("status").asText()));
      pg.restart();
      awaitStored(server, 15);
      TestServer.await("health ok", () -> "ok".equals(health(server).get("status").asText()));
      assertEquals(15, safeIds(server).size());
    }
  }

  @Test
  void aCorruptedDatabaseStopsTheStartWithOneClearReason() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("corrupt"));
    byte[] garbage = new byte[8192];
    new java.util.Random(7).nextBytes(garbage);
    Files.write(data.resolve(EventStore.SQLITE_FILE), garbage);
    RuntimeException refused = assertThrows(RuntimeException.class,
        () -> server(Map.of("framewire.events.data-dir", data.toString())).close());
    Throwable cause = storeCause(refused);
    assertTrue(cause.getMessage().startsWith("cannot open the event store at " + data.resolve(EventStore.SQLITE_FILE).toAbsolutePath())
        || cause.getMessage().startsWith("cannot migrate the event store at " + data.resolve(EventStore.SQLITE_FILE).toAbsolutePath()),
        cause.getMessage());
    assertTrue(cause.getMessage().contains("not a database"), cause.getMessage());

    // With events off the same DATA_DIR is not opened at all: the server starts.
    try (TestServer server = TestServer.start(Map.of("framewire.events.enabled", false,
        "framewire.events.data-dir", data.toString()))) {
      assertEquals("ok", health(server).get("status").asText());
    }
  }

  @Test
  void aReadOnlyDataDirStopsTheStart() throws Exception {
    Path data = tmp.resolve("readonly");
    Files.createDirectories(data);
    assumeTrue(mount(data, "ro"), "needs root to mount a read-only tmpfs (CI runs as root)");
    try {
      RuntimeException refused = assertThrows(RuntimeException.class,
          () -> server(Map.of("framewire.events.data-dir", data.toString())).close());
      Throwable cause = storeCause(refused);
      assertTrue(cause.getMessage().contains(data.resolve(EventStore.SQLITE_FILE).toAbsolutePath().toString()),
          cause.getMessage());
    } finally {
      umount(data);
    }
  }

  /** The {@link EventStoreException} that made the start fail (asserted to be there). */
  private static Throwable storeCause(RuntimeException refused) {
    Throwable cause = refused;
    while (!(cause instanceof EventStoreException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    assertTrue(cause instanceof EventStoreException, refused.toString());
    return cause;
  }

  private static void frames(WsTestClient client, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      client.sendBinary(JPEG);
      WsTestClient.Answer answer = client.nextAnswer();
      assertTrue(answer.isResult(), answer.json().toString());
    }
  }

  private void awaitStored(TestServer server, int n) {
    TestServer.await(() -> n + " events stored, got " + safeIds(server) + "; health " + health(server) + "; "
            + safeMetrics(server), java.time.Duration.ofSeconds(30),
        () -> safeIds(server).size() == n);
  }

  private String safeMetrics(TestServer server) {
    try {
      return metrics(server).lines().filter(l -> l.startsWith("events_")).toList().toString();
    } catch (Exception e) {
      return e.toString();
    }
  }

  private List<Long> safeIds(TestServer server) {
    try {
      return ids(server);
    } catch (Exception e) {
      return List.of();
    }
  }

  private List<Long> ids(TestServer server) throws Exception {
    JsonNode page = json.readTree(get(server, "/events?order=asc&limit=1000").body());
    List<Long> ids = new ArrayList<>();
    page.path("events").forEach(e -> ids.add(e.get("id").asLong()));
    return ids;
  }

  private JsonNode health(TestServer server) {
    try {
      return json.readTree(get(server, "/health").body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String metrics(TestServer server) throws Exception {
    return get(server, "/metrics").body();
  }

  private HttpResponse<String> get(TestServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Writes zeros until the file system is full. */
  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      if (!String.valueOf(full.getMessage()).contains("space")) {
        throw full;
      }
    }
  }

  /** Mounts a tmpfs with {@code options} on {@code dir}; false where that is not allowed (not root). */
  private static boolean mount(Path dir, String options) throws Exception {
    if (!"root".equals(System.getProperty("user.name"))) {
      return false;
    }
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString())
        .redirectErrorStream(true).start();
    String output = new String(mount.getInputStream().readAllBytes());
    assertTrue(mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0, "mount failed: " + output);
    return true;
  }

  private static void umount(Path dir) throws Exception {
    new ProcessBuilder("umount", "-l", dir.toString()).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
