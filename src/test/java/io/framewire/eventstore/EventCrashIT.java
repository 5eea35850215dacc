package io.framewire.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.ServerProcess;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a crash loses, measured (docs/events.md): the packaged server, with {@link TickPlugin} in a
 * plugin jar beside it (one {@code tick} event per frame) and its SQLite store in a temp {@code
 * DATA_DIR}, is killed with SIGKILL while a WebSocket session streams frames; started again on the same
 * {@code DATA_DIR}, it opens the store (SQLite replays the WAL the killed process left) and {@code GET
 * /events} holds every event of the frames answered more than one batch window (plus a margin for the
 * write in progress and a noisy machine) before the kill, as a gapless prefix of the frames with
 * unique, increasing ids; new events get ids after them.
 */
class EventCrashIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BATCH_WINDOW_MS = 100;
  /** The write in progress (one transaction) and scheduling on a shared machine. */
  private static final int MARGIN_MS = 400;
  private static final Duration STREAMING = Duration.ofSeconds(3);

  @TempDir
  Path temp;

  @Test
  void aKilledServerKeepsEveryEventOlderThanOneBatchWindow() throws Exception {
    Path serverJar = Path.of("target", "framewire.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(serverJar), "run after mvn package");
    Path pluginJar = TickPlugin.jar(temp.resolve("tick-plugin.jar"));
    Path data = temp.resolve("data");
    String classpath = serverJar + File.pathSeparator + pluginJar;

    List<Long> answeredAtNanos = new ArrayList<>(); // index = frame index
    long killedAtNanos;
    int sent;
    try (ServerProcess server = ServerProcess.start(server(classpath, data))) {
      int port = server.port(Duration.ofSeconds(60));
      try (WsTestClient client = WsTestClient.stream(port, "ticking")) {
        byte[] jpeg = TestJpegs.grayscale(64, 48, 128);
        long until = System.nanoTime() + STREAMING.toNanos();
        while (System.nanoTime() < until) {
          try {
            client.sendBinary(jpeg);
          } catch (RuntimeException e) {
            throw new AssertionError("after " + answeredAtNanos.size() + " answers: " + client.pending() + "\n"
                + server.output(), e);
          }
          WsTestClient.Answer answer = client.nextAnswer();
          assertTrue(answer.isResult(), answer.toString());
          assertEquals(answeredAtNanos.size(), answer.frameIndex());
          answeredAtNanos.add(System.nanoTime());
        }
        // One more frame in flight, then SIGKILL: the JVM gets no chance to flush anything.
        client.sendBinary(jpeg);
        sent = answeredAtNanos.size() + 1;
        killedAtNanos = System.nanoTime();
        server.process().destroyForcibly();
        assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "killed");
        assertEquals(137, server.process().exitValue(), "SIGKILL");
      }
    }
    Path wal = data.resolve(EventStore.SQLITE_FILE + "-wal");
    assertTrue(Files.isRegularFile(wal) && Files.size(wal) > 0,
        "the killed process left its write-ahead log for the next open to recover");

    try (ServerProcess server = ServerProcess.start(server(classpath, data))) {
      int port = server.port(Duration.ofSeconds(60));
      List<JsonNode> stored = allEvents(port);
      int kept = stored.size();
      String stream = kept == 0 ? "" : stored.get(0).get("stream").asText();
      for (int i = 0; i < kept; i++) {
        JsonNode event = stored.get(i);
        // One writer thread, one transaction per batch, batches in publishing order: what survives is
        // a gapless prefix of the frames, ids increasing with them.
        assertEquals(i, event.get("frame_index").asInt(), "a gapless prefix: " + event);
        assertEquals("tick", event.get("type").asText());
        assertEquals(stream, event.get("stream").asText());
        assertEquals("ticking", event.get("pipeline_id").asText());
        assertEquals(1, event.get("pipeline_version").asInt());
        assertEquals("ticker", event.get("node").asText());
        if (i > 0) {
          assertTrue(event.get("id").asLong() > stored.get(i - 1).get("id").asLong(), "ids increase: " + event);
        }
      }
      assertTrue(kept <= sent, kept + " events for " + sent + " frames sent");

      int answered = answeredAtNanos.size();
      long mustKeepBefore = killedAtNanos - TimeUnit.MILLISECONDS.toNanos(BATCH_WINDOW_MS + MARGIN_MS);
      int mustKeep = 0;
      while (mustKeep < answered && answeredAtNanos.get(mustKeep) < mustKeepBefore) {
        mustKeep++;
      }
      int lostAnswered = Math.max(0, answered - kept);
      double oldestLostMs = lostAnswered == 0 ? 0
          : (killedAtNanos - answeredAtNanos.get(kept)) / 1e6;
      double framesPerSecond = answered / (STREAMING.toNanos() / 1e9);
      System.out.printf("event crash: %d frames answered in %s (%.0f/s), 1 in flight; %d events kept after kill -9; "
              + "%d answered frames' events lost, the oldest answered %.1f ms before the kill; %d answered more "
              + "than %d ms before it%n",
          answered, STREAMING, framesPerSecond, kept, lostAnswered, oldestLostMs, mustKeep,
          BATCH_WINDOW_MS + MARGIN_MS);
      assertTrue(kept >= mustKeep, "every frame answered more than " + (BATCH_WINDOW_MS + MARGIN_MS)
          + " ms before the kill has its event stored: " + kept + " stored, " + mustKeep + " required");

      // The store opened cleanly: new events go on after the recovered ones.
      long lastId = kept == 0 ? 0 : stored.get(kept - 1).get("id").asLong();
      try (WsTestClient client = WsTestClient.stream(port, "ticking")) {
        for (int i = 0; i < 3; i++) {
          assertTrue(client.sendBinary(TestJpegs.grayscale(64, 48, 128)).nextAnswer().isResult());
        }
      }
      TestServer.await("3 more events stored", () -> allEvents(port).size() == kept + 3);
      List<JsonNode> after = allEvents(port).subList(kept, kept + 3);
      for (JsonNode event : after) {
        assertTrue(event.get("id").asLong() > lastId, "new ids follow the recovered ones: " + event);
        assertTrue(!event.get("stream").asText().equals(stream), "a new session: " + event);
      }
      assertTrue(server.terminate(Duration.ofSeconds(30)), "exits after SIGTERM");
      assertTrue(!server.output().contains("\"level\":\"ERROR\""), server.output());
    }
  }

  private static ProcessBuilder server(String classpath, Path data) {
    ProcessBuilder builder = ServerProcess.java("-cp", classpath, "io.framewire.App");
    builder.environment().put("DATA_DIR", data.toString());
    builder.environment().put("EVENTS_ENABLED", "true");
    builder.environment().remove("EVENTS_DB_URL");
    builder.environment().put("EVENTS_BATCH_WINDOW_MS", Integer.toString(BATCH_WINDOW_MS));
    return builder;
  }

  /** Every stored event, oldest first, page by page. */
  private static List<JsonNode> allEvents(int port) {
    List<JsonNode> events = new ArrayList<>();
    String after = null;
    do {
      JsonNode page = get(port, "/events?order=asc&limit=1000" + (after == null ? "" : "&after=" + after));
      page.get("events").forEach(events::add);
      after = page.get("next").isNull() ? null : page.get("next").asText();
    } while (after != null);
    return events;
  }

  private static JsonNode get(int port, String path) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      return JSON.readTree(response.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
