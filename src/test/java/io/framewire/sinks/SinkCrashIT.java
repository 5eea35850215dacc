package io.framewire.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.framewire.ServerProcess;
import io.framewire.eventstore.TickPlugin;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink across {@code kill -9} (docs/events.md#sinks): the packaged server, with {@link TickPlugin}'s
 * jar beside it (one {@code tick} event per frame) and its SQLite store in a temp {@code DATA_DIR},
 * delivers to a webhook created with {@code POST /sinks} while a WebSocket session streams frames.
 * The receiver holds its {@value #HOLD_AT}th request unanswered, so a delivery is in flight when the
 * server is killed with SIGKILL, mid-stream. Started again on the same {@code DATA_DIR}, the sink
 * resumes from the position it had committed: every event the store kept reaches the receiver, first
 * arrivals in id order, none missing; the only duplicates are exactly the events after the committed
 * position that reached the receiver before the kill.
 */
class SinkCrashIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** The sinks' default {@code SINKS_BATCH_SIZE}: the position is committed after each batch. */
  private static final int BATCH_SIZE = 100;
  /** The request the receiver holds: past the first batch. */
  private static final int HOLD_AT = 150;
  /** Frames streamed past the held event, so the store holds events the sink has not reached at the kill. */
  private static final int FRAMES_BEYOND = 100;

  @TempDir
  Path temp;

  @Test
  void aKilledServersSinkResumesFromItsCommittedPositionLosingNothing() throws Exception {
    Path serverJar = Path.of("target", "framewire.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(serverJar), "run after mvn package");
    Path pluginJar = TickPlugin.jar(temp.resolve("tick-plugin.jar"));
    Path data = temp.resolve("data");
    String classpath = serverJar + File.pathSeparator + pluginJar;

    try (HoldingReceiver receiver = new HoldingReceiver(HOLD_AT)) {
      int answered = 0;
      long apiPosition;
      List<Long> beforeKill;
      try (ServerProcess server = ServerProcess.start(server(classpath, data))) {
        int port = server.port(Duration.ofSeconds(60));
        HttpResponse<String> created = send(port, "POST", "/sinks", """
            {"id": "hook", "type": "webhook", "url": "%s", "start": "earliest"}""".formatted(receiver.url()));
        assertEquals(201, created.statusCode(), created.body());

        try (WsTestClient client = WsTestClient.stream(port, "ticking")) {
          byte[] jpeg = TestJpegs.grayscale(64, 48, 128);
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
          // Stream until the sink's delivery is held and the store is well past it.
          while (receiver.held.getCount() > 0 || answered < HOLD_AT + FRAMES_BEYOND) {
            assertTrue(System.nanoTime() < deadline, "held: " + (receiver.held.getCount() == 0) + " after "
                + answered + " frames; received " + receiver.received().size() + "\n" + server.output());
            client.sendBinary(jpeg);
            WsTestClient.Answer answer = client.nextAnswer();
            assertTrue(answer.isResult(), answer.toString());
            answered++;
          }
          apiPosition = JSON.readTree(send(port, "GET", "/sinks/hook", null).body()).get("position").asLong();
          client.sendBinary(jpeg); // one more frame in flight: the kill comes mid-stream
          beforeKill = receiver.received().stream().map(Received::id).toList();
          server.process().destroyForcibly();
          assertTrue(server.process().waitFor(30, TimeUnit.SECONDS), "killed");
          assertEquals(137, server.process().exitValue(), "SIGKILL");
        }
      }
      receiver.release.countDown(); // its answer goes to a dead connection

      long committed = committedPosition(data.resolve("events.db"), "hook");
      assertEquals(apiPosition, committed, "GET /sinks/{id}'s position is the committed one");
      assertEquals(HOLD_AT, beforeKill.size(), "one request at a time: the held one was the last");
      long heldId = beforeKill.get(HOLD_AT - 1);
      assertTrue(committed < heldId, "the held event is not committed: " + committed + " < " + heldId);
      assertTrue(heldId - committed <= BATCH_SIZE, "at most one batch is sent again: " + committed + ", " + heldId);

      try (ServerProcess server = ServerProcess.start(server(classpath, data))) {
        int port = server.port(Duration.ofSeconds(60));
        long restartedAt = System.nanoTime();
        List<JsonNode> recovered = allEvents(port);
        // New events after the restart, on a stream of their own.
        try (WsTestClient client = WsTestClient.stream(port, "ticking")) {
          for (int i = 0; i < 3; i++) {
            assertTrue(client.sendBinary(TestJpegs.grayscale(64, 48, 128)).nextAnswer().isResult());
          }
        }
        TestServer.await("3 more events stored", () -> allEvents(port).size() == recovered.size() + 3);
        List<JsonNode> stored = allEvents(port);
        List<Long> storedIds = stored.stream().map(e -> e.get("id").asLong()).toList();
        Set<Long> storedSet = new TreeSet<>(storedIds);
        assertTrue(storedSet.containsAll(beforeKill), "the receiver got only events the store kept");

        Awaits.until("every stored event at the receiver", Duration.ofSeconds(30),
            () -> receiver.received().stream().map(Received::id).collect(Collectors.toSet()).containsAll(storedSet),
            () -> "missing " + missing(storedSet, receiver.received()));
        double catchUpMs = (System.nanoTime() - restartedAt) / 1e6;
        TestServer.await("the sink has caught up", () -> {
          JsonNode status = sinkStatus(port);
          return status.get("lag").asLong() == 0 && status.get("position").asLong() == storedIds.get(storedIds.size() - 1);
        });
        List<Received> received = receiver.received();
        JsonNode status = sinkStatus(port);

        // Deduplicated by id, first arrivals come in id order (so in order per stream), none missing, none extra.
        List<Long> firstArrivals = new ArrayList<>(new LinkedHashSet<>(received.stream().map(Received::id).toList()));
        assertEquals(storedIds, firstArrivals, "every stored event, first arrivals in id order");
        Map<String, List<Long>> perStream = new HashMap<>();
        for (JsonNode e : stored) {
          perStream.computeIfAbsent(e.get("stream").asText(), s -> new ArrayList<>()).add(e.get("id").asLong());
        }
        assertEquals(2, perStream.size(), "the killed session's stream and the new one");
        for (Received r : received) {
          assertTrue(perStream.get(r.stream()).contains(r.id()), "as stored: " + r);
        }

        // Duplicates: exactly the events after the committed position that reached the receiver before the kill.
        Map<Long, Long> arrivals = received.stream().collect(Collectors.groupingBy(Received::id, Collectors.counting()));
        Set<Long> duplicated = new TreeSet<>(arrivals.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList());
        Set<Long> expected = new TreeSet<>(beforeKill.stream().filter(id -> id > committed).toList());
        assertEquals(expected, duplicated, "sent again: those after the committed position " + committed);
        assertTrue(arrivals.values().stream().allMatch(n -> n <= 2), "none more than twice");

        System.out.printf("sink crash: %d frames answered before the kill, %d events kept; the receiver held event %d, "
                + "committed position %d; after the restart every one of %d stored events delivered within %.0f ms, "
                + "%d duplicates (events %d..%d), 0 missing; the sink's failures after the restart: %d%n",
            answered, recovered.size(), heldId, committed, stored.size(), catchUpMs, duplicated.size(),
            duplicated.isEmpty() ? 0 : ((TreeSet<Long>) duplicated).first(),
            duplicated.isEmpty() ? 0 : ((TreeSet<Long>) duplicated).last(), status.get("failures").asInt());
        assertTrue(server.terminate(Duration.ofSeconds(30)), "exits after SIGTERM");
        assertTrue(!server.output().contains("\"level\":\"ERROR\""), server.output());
      }
    }
  }

  private static ProcessBuilder server(String classpath, Path data) {
    ProcessBuilder builder = ServerProcess.java("-cp", classpath, "io.framewire.App");
    builder.environment().put("DATA_DIR", data.toString());
    builder.environment().put("EVENTS_ENABLED", "true");
    builder.environment().remove("EVENTS_DB_URL");
    builder.environment().remove("SINKS_BATCH_SIZE");
    builder.environment().remove("ADMIN_TOKEN");
    return builder;
  }

  /** What the store holds as the sink's position: read from the killed server's SQLite file. */
  private static long committedPosition(Path db, String sink) throws Exception {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT position FROM sinks WHERE id = '" + sink + "'")) {
      assertTrue(row.next(), "the sink is stored");
      return row.getLong(1);
    }
  }

  private static List<Long> missing(Set<Long> stored, List<Received> received) {
    Set<Long> got = received.stream().map(Received::id).collect(Collectors.toSet());
    return stored.stream().filter(id -> !got.contains(id)).toList();
  }

  private static JsonNode sinkStatus(int port) {
    try {
      return JSON.readTree(send(port, "GET", "/sinks/hook", null).body());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Every stored event, oldest first, page by page. */
  private static List<JsonNode> allEvents(int port) {
    List<JsonNode> events = new ArrayList<>();
    String after = null;
    try {
      do {
        HttpResponse<String> answer = send(port, "GET", "/events?order=asc&limit=1000" + (after == null ? "" : "&after=" + after), null);
        assertEquals(200, answer.statusCode(), answer.body());
        JsonNode page = JSON.readTree(answer.body());
        page.get("events").forEach(events::add);
        after = page.get("next").isNull() ? null : page.get("next").asText();
      } while (after != null);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return events;
  }

  private static HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** One request as it arrived: the event's id and stream. */
  record Received(long id, String stream) {}

  /**
   * A webhook endpoint (the JDK's HTTP server, one handler thread) that records each request on
   * arrival and answers 204, except the {@code holdAt}th: it signals {@link #held} and answers only
   * after {@link #release}, so that delivery is in flight until then.
   */
  private static final class HoldingReceiver implements AutoCloseable {

    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();

    HoldingReceiver(int holdAt) throws IOException {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext("/hook", exchange -> {
        JsonNode event = JSON.readTree(exchange.getRequestBody().readAllBytes());
        int count;
        synchronized (received) {
          received.add(new Received(event.get("id").asLong(), event.get("stream").asText()));
          count = received.size();
        }
        try {
          if (count == holdAt) {
            held.countDown();
            release.await();
          }
          exchange.sendResponseHeaders(204, -1);
        } catch (IOException e) {
          // the killed server's connection is gone
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          exchange.close();
        }
      });
      server.start();
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<Received> received() {
      synchronized (received) {
        return List.copyOf(received);
      }
    }

    @Override
    public void close() {
      release.countDown();
      server.stop(0);
    }
  }
}
