package io.framewire.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.framewire.events.FrameEvents;
import io.framewire.eventstore.EventStore;
import io.framewire.eventstore.EventStoreSettings;
import io.framewire.settings.FramewireSettings;
import io.framewire.streaming.StreamSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.testkit.TestRoute;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** {@code GET /events}, {@code /events/{id}} and {@code /events/counts} of {@link EventsRoute} over a real SQLite store. */
class EventsRouteTest extends JupiterRouteTest {

  static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load());
  static final ObjectMapper json = new ObjectMapper();
  static final long T0 = 1_750_000_000_000L; // 2025-06-15T15:06:40Z
  static final long HOUR = 3_600_000L;
  static final ExecutorService blocking = Executors.newFixedThreadPool(2);
  static Path dir;
  static EventStore store;
  static long firstId;

  EventsRouteTest() {
    super(testKit.system());
  }

  // Before the instance (whose route needs the store): JupiterRouteTest's instance is made first.
  static {
    try {
      fill();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static void fill() throws Exception {
    dir = Files.createTempDirectory("events-route");
    store = EventStore.open(EventStoreSettings.sqlite(dir));
    store.append(List.of(
        frame("session:a", T0, event("line_crossed", "person", "line", "door", 1)),
        frame("source:cam", T0 + HOUR, event("zone_entered", "car", "zone", "lot", 2)),
        frame("source:cam", T0 + HOUR + 1, event("line_crossed", "car", "line", "door", 3))), T0 + 2 * HOUR);
    firstId = store.readAfter(0, 1).get(0).id();
  }

  @AfterAll
  static void stop() throws Exception {
    store.close();
    blocking.shutdown();
    testKit.shutdownTestKit();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static Map<String, Object> event(String type, String label, String key, String name, int trackId) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    event.put("node", "n1");
    event.put("track_id", trackId);
    event.put("label", label);
    event.put(key, name);
    return event;
  }

  private static FrameEvents frame(String stream, long time, Map<String, Object> event) {
    return new FrameEvents(stream, "p", 3, 0, time, List.of(event), null);
  }

  private static StreamSettings stream(Map<String, Object> overrides) {
    return FramewireSettings.from(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load())).stream();
  }

  private final TestRoute route = testRoute(new EventsRoute(Optional.of(store), stream(Map.of()), json, blocking).route());

  private JsonNode ok(String uri) throws Exception {
    TestRouteResult response = route.run(HttpRequest.GET(uri));
    assertEquals(200, response.statusCode(), response.entityString());
    return json.readTree(response.entityString());
  }

  private List<Integer> tracks(JsonNode page) {
    return java.util.stream.StreamSupport.stream(page.get("events").spliterator(), false)
        .map(e -> e.get("track_id").asInt()).toList();
  }

  @Test
  void listsNewestFirstWithEachEventsColumnsAndFields() throws Exception {
    JsonNode page = ok("/events");
    assertEquals(List.of(3, 2, 1), tracks(page));
    assertEquals(json.readTree("""
        {"id": %d, "type": "line_crossed", "stream": "session:a", "pipeline_id": "p", "pipeline_version": 3,
         "node": "n1", "time": "2025-06-15T15:06:40.000Z", "received_at": "2025-06-15T17:06:40.000Z",
         "track_id": 1, "label": "person", "line": "door", "snapshot": null}""".formatted(firstId)),
        page.get("events").get(2));
    assertEquals(true, page.get("next").isNull());
  }

  @Test
  void filtersAndPagesWithTheCursor() throws Exception {
    assertEquals(List.of(1, 3), tracks(ok("/events?type=line_crossed&order=asc")));
    assertEquals(List.of(3, 2), tracks(ok("/events?stream=source:cam")));
    assertEquals(List.of(3, 2), tracks(ok("/events?label=car")));
    assertEquals(List.of(2), tracks(ok("/events?zone=lot")));
    assertEquals(List.of(3, 1), tracks(ok("/events?line=door")));
    assertEquals(List.of(3, 2), tracks(ok("/events?since=2025-06-15T16:06:40Z")));
    assertEquals(List.of(2, 1), tracks(ok("/events?until=" + (T0 + HOUR + 1))));

    JsonNode first = ok("/events?limit=2");
    assertEquals(List.of(3, 2), tracks(first));
    JsonNode second = ok("/events?limit=2&after=" + first.get("next").asText());
    assertEquals(List.of(1), tracks(second));
    assertEquals(true, second.get("next").isNull());
  }

  @Test
  void oneEventById() throws Exception {
    assertEquals(1, ok("/events/" + firstId).get("track_id").asInt());
    TestRouteResult missing = route.run(HttpRequest.GET("/events/" + (firstId + 99)));
    assertEquals(404, missing.statusCode());
    assertEquals("not_found", json.readTree(missing.entityString()).get("error").asText());
    assertEquals(404, route.run(HttpRequest.GET("/events/abc")).statusCode());
  }

  @Test
  void countsPerTypeAndHour() throws Exception {
    assertEquals(json.readTree("""
        {"group_by": ["type"], "bucket": "1h", "counts": [
          {"bucket": "2025-06-15T15:00:00.000Z", "type": "line_crossed", "count": 1},
          {"bucket": "2025-06-15T16:00:00.000Z", "type": "line_crossed", "count": 1},
          {"bucket": "2025-06-15T16:00:00.000Z", "type": "zone_entered", "count": 1}]}"""),
        ok("/events/counts?group_by=type&bucket=1h"));
    assertEquals(json.readTree("""
        {"group_by": ["stream", "label"], "bucket": null, "counts": [
          {"stream": "session:a", "label": "person", "count": 1},
          {"stream": "source:cam", "label": "car", "count": 2}]}"""),
        ok("/events/counts?group_by=stream,label"));
  }

  @Test
  void badParametersAreRefusedNamingThem() throws Exception {
    Map<String, String> refusals = Map.of(
        "/events?limit=0", "limit must be a whole number 1..1000, got '0'",
        "/events?order=up", "order must be asc (oldest first) or desc (newest first), got 'up'",
        "/events?since=yesterday", "since must be an ISO-8601 time (2025-06-01T12:00:00Z) or epoch milliseconds, got 'yesterday'",
        "/events?after=x", "after must be the cursor a previous page's next gave, got 'x'",
        "/events?since=2000&until=1000", "since must be before until",
        "/events/counts?group_by=colour", "cannot group by 'colour'; one of type, label, line, zone, stream",
        "/events/counts?bucket=1w", "bucket must be a length like 30s, 15m, 1h or 1d, got '1w'",
        "/events?typ=line_crossed",
        "unknown parameter 'typ'; known: after, label, limit, line, order, since, stream, type, until, zone");
    for (var refusal : refusals.entrySet()) {
      TestRouteResult response = route.run(HttpRequest.GET(refusal.getKey()));
      assertEquals(400, response.statusCode(), refusal.getKey());
      assertEquals(json.readTree(json.writeValueAsString(Map.of("error", "invalid_request", "detail", refusal.getValue()))),
          json.readTree(response.entityString()), refusal.getKey());
    }
  }

  @Test
  void readsFollowTheStreamTokenAndAnswerWithoutAStore() throws Exception {
    TestRoute guarded = testRoute(new EventsRoute(Optional.of(store),
        stream(Map.of("framewire.stream.auth-token", "s3cret")), json, blocking).route());
    TestRouteResult refused = guarded.run(HttpRequest.GET("/events"));
    assertEquals(401, refused.statusCode());
    assertEquals("unauthorized", json.readTree(refused.entityString()).get("error").asText());
    assertEquals(200, guarded.run(HttpRequest.GET("/events?token=s3cret")).statusCode());
    assertEquals(200, guarded.run(HttpRequest.GET("/events/counts?token=s3cret")).statusCode());

    TestRoute off = testRoute(new EventsRoute(Optional.empty(), stream(Map.of()), json, blocking).route());
    TestRouteResult disabled = off.run(HttpRequest.GET("/events"));
    assertEquals(404, disabled.statusCode());
    assertEquals("events_disabled", json.readTree(disabled.entityString()).get("error").asText());
  }

  @Test
  void theSnapshotOfAnEventIsServedAndItsAbsenceIs404() throws Exception {
    // A store of its own: the shared one's contents are what the other tests expect.
    Path own = Files.createDirectories(dir.resolve("own"));
    EventStore store = EventStore.open(EventStoreSettings.sqlite(own));
    Path snapshotsDir = Files.createDirectories(own.resolve("snapshots"));
    String name = T0 + "-00000000000000ab.jpg";
    byte[] picture = io.framewire.testing.TestJpegs.solid(32, 24, io.framewire.testing.TestJpegs.DARK);
    Files.write(snapshotsDir.resolve(name), picture);
    Map<String, Object> withSnapshot = event("line_crossed", "person", "line", "door", 9);
    withSnapshot.put(io.framewire.eventstore.Snapshots.KEY, name);
    Map<String, Object> missingFile = event("line_crossed", "person", "line", "door", 10);
    missingFile.put(io.framewire.eventstore.Snapshots.KEY, T0 + "-00000000000000ac.jpg");
    long before = 0;
    store.append(List.of(frame("session:b", T0, withSnapshot), frame("session:b", T0, missingFile),
        frame("session:b", T0, event("zone_entered", "car", "zone", "lot", 11))), T0);
    var snapshots = io.framewire.eventstore.Snapshots.start(e -> {}, snapshotsDir,
        io.framewire.eventstore.SnapshotSettings.DEFAULTS, io.framewire.metrics.SnapshotMetrics.unregistered());
    try {
      TestRoute withFiles = testRoute(new EventsRoute(Optional.of(store), Optional.of(snapshots), Optional.empty(),
          stream(Map.of()), json, blocking).route());
      TestRouteResult served = withFiles.run(HttpRequest.GET("/events/" + (before + 1) + "/snapshot.jpg"));
      assertEquals(200, served.statusCode());
      assertEquals("image/jpeg", served.response().entity().getContentType().toString());
      org.junit.jupiter.api.Assertions.assertArrayEquals(picture,
          served.response().entity().toStrict(5_000, testKit.system()).toCompletableFuture().get().getData().toArray());
      for (String uri : List.of("/events/" + (before + 2) + "/snapshot.jpg", "/events/" + (before + 3) + "/snapshot.jpg")) {
        TestRouteResult none = withFiles.run(HttpRequest.GET(uri));
        assertEquals(404, none.statusCode(), uri);
        assertEquals("no_snapshot", json.readTree(none.entityString()).get("error").asText());
      }
      TestRouteResult unknown = withFiles.run(HttpRequest.GET("/events/" + (before + 99) + "/snapshot.jpg"));
      assertEquals(404, unknown.statusCode());
      assertEquals("not_found", json.readTree(unknown.entityString()).get("error").asText());
    } finally {
      snapshots.stop(5_000);
      store.close();
    }
  }

  @Test
  void theLiveTailRefusesUnknownParametersAndFollowsTheTokenAndAnswersWithoutAStore() throws Exception {
    TestRouteResult bad = route.run(HttpRequest.GET("/ws/events?since=2025-06-15T00:00:00Z"));
    assertEquals(400, bad.statusCode());
    assertEquals("invalid_request", json.readTree(bad.entityString()).get("error").asText());
    TestRoute guarded = testRoute(new EventsRoute(Optional.of(store),
        stream(Map.of("framewire.stream.auth-token", "s3cret")), json, blocking).route());
    assertEquals(401, guarded.run(HttpRequest.GET("/ws/events")).statusCode());
    assertEquals(401, guarded.run(HttpRequest.GET("/events/" + firstId + "/snapshot.jpg")).statusCode());
    TestRoute off = testRoute(new EventsRoute(Optional.empty(), stream(Map.of()), json, blocking).route());
    for (String uri : List.of("/ws/events", "/events/1/snapshot.jpg")) {
      TestRouteResult disabled = off.run(HttpRequest.GET(uri));
      assertEquals(404, disabled.statusCode(), uri);
      assertEquals("events_disabled", json.readTree(disabled.entityString()).get("error").asText());
    }
  }
}
