package io.framewire.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.events.EventStoreException;
import io.framewire.events.FrameEvents;
import io.framewire.events.StoredEvent;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event store's behaviour, the same on every database: {@link SqliteEventStoreTest} and {@link
 * PostgresEventStoreTest} run it, each test on an empty database (the migrations run at open).
 */
abstract class EventStoreContract {

  static final long T0 = 1_750_000_000_000L; // 2025-06-15T15:06:40Z
  static final long HOUR = 3_600_000L;

  @TempDir Path tmp;
  EventStore store;

  /** Settings of an empty database of this vendor. */
  abstract EventStoreSettings emptyDatabase(Path tmp) throws Exception;

  abstract EventStore.Vendor vendor();

  @BeforeEach
  void open() throws Exception {
    store = EventStore.open(emptyDatabase(tmp));
  }

  @AfterEach
  void close() {
    store.close();
  }

  static Map<String, Object> event(String type, String label, String lineOrZoneKey, String name, int trackId) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    event.put("node", "lines");
    event.put("time", "ignored: the frame time is the column");
    event.put("track_id", trackId);
    event.put("label", label);
    if (lineOrZoneKey != null) {
      event.put(lineOrZoneKey, name);
    }
    event.put("box", Map.of("x", 1, "y", 2, "w", 3, "h", 4));
    return event;
  }

  static FrameEvents frame(String stream, long frameIndex, long timeMillis, List<Map<String, Object>> events) {
    return new FrameEvents(stream, "p", 2, frameIndex, timeMillis, events, null);
  }

  static Map<String, Object> crossing(int trackId) {
    return event("line_crossed", "person", "line", "door", trackId);
  }

  @Test
  void migrationsBringAnEmptyDatabaseToTheSchemaAtOpen() throws Exception {
    assertEquals(vendor(), store.vendor());
    assertEquals(0, store.latestId());
    assertEquals(List.of(), store.query(EventQuery.all()).events());
    try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, success FROM flyway_schema_history WHERE version IS NOT NULL")) {
      List<String> applied = new ArrayList<>();
      while (rs.next()) {
        applied.add(rs.getString(1) + ":" + rs.getBoolean(2));
      }
      assertEquals(List.of("1:true", "2:true", "3:true"), applied,
          "the events (V1), the sinks (V2) and the jobs (V3), each applied once");
    }
    store.close();
    store = EventStore.open(reopenSettings()); // opening again finds the schema up to date
    assertEquals(0, store.latestId());
  }

  /** The settings of the database this test opened (to open it again). */
  abstract EventStoreSettings reopenSettings();

  @Test
  void eventsAreStoredInOrderWithTheirColumnsAndFields() {
    Map<String, Object> first = crossing(7);
    first.put("direction", "in");
    Map<String, Object> second = event("zone_entered", "car", "zone", "lot", 8);
    Map<String, Object> third = event("track_started", "person", null, null, 9);
    third.remove("node");
    int written = store.append(List.of(frame("session:a", 5, T0, List.of(first, second)),
        frame("source:cam", 9, T0 + 40, List.of(third))), T0 + 100);
    assertEquals(3, written);

    List<StoredEvent> all = store.readAfter(0, 10);
    assertEquals(3, all.size());
    StoredEvent a = all.get(0);
    assertTrue(a.id() > 0);
    assertEquals(List.of(a.id(), a.id() + 1, a.id() + 2), all.stream().map(StoredEvent::id).toList());
    assertEquals(new StoredEvent(a.id(), "line_crossed", "session:a", "p", 2, "lines", T0, T0 + 100,
        Map.of("track_id", 7, "label", "person", "line", "door", "direction", "in",
            "box", Map.of("x", 1, "y", 2, "w", 3, "h", 4)), null), a);
    assertEquals(Map.of("track_id", 8, "label", "car", "zone", "lot", "box", Map.of("x", 1, "y", 2, "w", 3, "h", 4)),
        all.get(1).fields());
    assertEquals("source:cam", all.get(2).stream());
    assertEquals(T0 + 40, all.get(2).timeMillis());
    assertEquals(null, all.get(2).node());

    assertEquals(a, store.get(a.id()).orElseThrow());
    assertTrue(store.get(a.id() + 100).isEmpty());
    assertEquals(a.id() + 2, store.latestId());
    assertEquals(List.of(all.get(1), all.get(2)), store.readAfter(a.id(), 10));
    assertEquals(List.of(all.get(0)), store.readAfter(0, 1));

    // Newest first by default, oldest first on asking.
    assertEquals(List.of(all.get(2), all.get(1), all.get(0)), store.query(EventQuery.all()).events());
    assertEquals(all, store.query(EventQuery.all().ascending(true)).events());
  }

  @Test
  void filtersSelectByStreamTypeLabelLineZoneAndTime() {
    store.append(List.of(
        frame("session:a", 0, T0, List.of(crossing(1), event("zone_entered", "car", "zone", "lot", 2))),
        frame("source:cam", 0, T0 + HOUR, List.of(event("line_crossed", "car", "line", "gate", 3))),
        frame("source:cam", 1, T0 + 2 * HOUR, List.of(event("zone_exited", "person", "zone", "lot", 4)))), T0);

    assertEquals(List.of(4, 3), tracks(filter(List.of("source:cam"), List.of(), List.of(), List.of(), List.of())));
    assertEquals(List.of(3, 1), tracks(filter(List.of(), List.of("line_crossed"), List.of(), List.of(), List.of())));
    assertEquals(List.of(3, 2), tracks(filter(List.of(), List.of(), List.of("car"), List.of(), List.of())));
    assertEquals(List.of(3), tracks(filter(List.of(), List.of(), List.of(), List.of("gate"), List.of())));
    assertEquals(List.of(4, 2), tracks(filter(List.of(), List.of(), List.of(), List.of(), List.of("lot"))));
    assertEquals(List.of(4, 1), tracks(filter(List.of(), List.of("zone_exited", "line_crossed"), List.of("person"),
        List.of(), List.of())));
    // since <= time < until
    assertEquals(List.of(3), tracks(EventQuery.all().withTime(OptionalLong.of(T0 + HOUR), OptionalLong.of(T0 + 2 * HOUR))));
    assertEquals(List.of(4, 3), tracks(EventQuery.all().withTime(OptionalLong.of(T0 + 1), OptionalLong.empty())));
    assertEquals(List.of(2, 1), tracks(EventQuery.all().withTime(OptionalLong.empty(), OptionalLong.of(T0 + HOUR))));
  }

  private static EventQuery filter(List<String> streams, List<String> types, List<String> labels, List<String> lines,
      List<String> zones) {
    return new EventQuery(streams, types, labels, lines, zones, OptionalLong.empty(), OptionalLong.empty(),
        OptionalLong.empty(), EventQuery.DEFAULT_LIMIT, false);
  }

  private List<Integer> tracks(EventQuery query) {
    return store.query(query).events().stream().map(e -> ((Number) e.fields().get("track_id")).intValue()).toList();
  }

  @Test
  void pagesAreStableWhileEventsAreInserted() {
    for (int i = 1; i <= 10; i++) {
      store.append(List.of(frame("session:a", i, T0 + i, List.of(crossing(i)))), T0);
    }
    // Newest first: pages of 3, with 5 new events written after the first page.
    EventPage first = store.query(EventQuery.all().withLimit(3));
    assertEquals(List.of(10, 9, 8), trackIds(first));
    for (int i = 11; i <= 15; i++) {
      store.append(List.of(frame("session:a", i, T0 + i, List.of(crossing(i)))), T0);
    }
    List<Integer> seen = new ArrayList<>(trackIds(first));
    EventPage page = first;
    while (page.next().isPresent()) {
      page = store.query(EventQuery.all().withLimit(3).withAfter(page.next().getAsLong()));
      seen.addAll(trackIds(page));
    }
    assertEquals(List.of(10, 9, 8, 7, 6, 5, 4, 3, 2, 1), seen); // no event twice, none skipped, none new

    // Oldest first: the new events come at the end, after the others.
    List<Integer> ascending = new ArrayList<>();
    page = store.query(EventQuery.all().ascending(true).withLimit(4));
    ascending.addAll(trackIds(page));
    store.append(List.of(frame("session:a", 16, T0 + 16, List.of(crossing(16)))), T0);
    while (page.next().isPresent()) {
      page = store.query(EventQuery.all().ascending(true).withLimit(4).withAfter(page.next().getAsLong()));
      ascending.addAll(trackIds(page));
    }
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16), ascending);
    // A page that ends exactly at the last event names no next page.
    EventPage exact = store.query(EventQuery.all().ascending(true).withLimit(16));
    assertEquals(OptionalLong.empty(), exact.next());
  }

  private static List<Integer> trackIds(EventPage page) {
    return page.events().stream().map(e -> ((Number) e.fields().get("track_id")).intValue()).toList();
  }

  @Test
  void countsAreGroupedAndBucketedByTheDatabase() {
    store.append(List.of(
        frame("session:a", 0, T0, List.of(crossing(1), crossing(2), event("zone_entered", "car", "zone", "lot", 3))),
        frame("session:a", 1, T0 + HOUR + 5, List.of(crossing(4))),
        frame("source:cam", 0, T0 + HOUR + 10, List.of(event("zone_entered", "person", "zone", "lot", 5)))), T0);
    long bucket0 = T0 / HOUR * HOUR;

    List<EventCounts.Row> byTypePerHour = store.counts(
        new EventCounts(EventQuery.all(), List.of("type"), OptionalLong.of(HOUR)));
    assertEquals(List.of(
        new EventCounts.Row(OptionalLong.of(bucket0), Map.of("type", "line_crossed"), 2),
        new EventCounts.Row(OptionalLong.of(bucket0), Map.of("type", "zone_entered"), 1),
        new EventCounts.Row(OptionalLong.of(bucket0 + HOUR), Map.of("type", "line_crossed"), 1),
        new EventCounts.Row(OptionalLong.of(bucket0 + HOUR), Map.of("type", "zone_entered"), 1)), byTypePerHour);

    List<EventCounts.Row> byStreamAndLabel = store.counts(
        new EventCounts(EventQuery.all(), List.of("stream", "label"), OptionalLong.empty()));
    assertEquals(List.of(
        new EventCounts.Row(OptionalLong.empty(), Map.of("stream", "session:a", "label", "car"), 1),
        new EventCounts.Row(OptionalLong.empty(), Map.of("stream", "session:a", "label", "person"), 3),
        new EventCounts.Row(OptionalLong.empty(), Map.of("stream", "source:cam", "label", "person"), 1)),
        byStreamAndLabel);

    // Filters and the time range apply; no grouping at all: one total.
    assertEquals(List.of(new EventCounts.Row(OptionalLong.empty(), Map.of(), 2)), store.counts(new EventCounts(
        EventQuery.all().withTime(OptionalLong.of(T0 + HOUR), OptionalLong.empty()), List.of(), OptionalLong.empty())));
    assertEquals(List.of(new EventCounts.Row(OptionalLong.of(bucket0), Map.of("zone", "lot"), 1),
            new EventCounts.Row(OptionalLong.of(bucket0 + HOUR), Map.of("zone", "lot"), 1)),
        store.counts(new EventCounts(EventQuery.all().withTypes(List.of("zone_entered")), List.of("zone"),
            OptionalLong.of(HOUR))));
  }

  @Test
  void aBatchIsOneTransactionAllOrNothing() {
    store.append(List.of(frame("session:a", 0, T0, List.of(crossing(1)))), T0);
    long before = store.latestId();
    Map<String, Object> notJson = crossing(3);
    notJson.put("box", new Object()); // Jackson cannot write it: the third row of the batch fails
    assertThrows(EventStoreException.class, () -> store.append(List.of(
        frame("session:a", 1, T0, List.of(crossing(2))),
        frame("session:a", 2, T0, List.of(notJson, crossing(4)))), T0));
    assertEquals(before, store.latestId());
    assertEquals(1, store.query(EventQuery.all()).events().size());
    // The store goes on: the next batch is written, its ids after the earlier ones.
    store.append(List.of(frame("session:a", 3, T0, List.of(crossing(5)))), T0);
    assertTrue(store.latestId() > before);
    assertEquals(List.of(5, 1), tracks(EventQuery.all()));
  }
}
