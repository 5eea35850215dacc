package io.framewire.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.framewire.events.FrameEvents;
import io.framewire.events.StoredEvent;
import io.framewire.metrics.SnapshotMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retention sweep over a real SQLite store and a real directory, at a fixed "now". */
class RetentionTest {

  static final long DAY = Duration.ofDays(1).toMillis();
  static final long NOW = 1_750_000_000_000L;

  @TempDir Path data;
  private Path dir;
  private EventStore store;
  private final SnapshotMetrics metrics = SnapshotMetrics.unregistered();

  @BeforeEach
  void open() throws Exception {
    store = EventStore.open(EventStoreSettings.sqlite(data));
    dir = Files.createDirectories(data.resolve("snapshots"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private Retention retention(int days, long maxBytes) {
    SnapshotSettings settings = new SnapshotSettings(true, Optional.of(dir), Duration.ofSeconds(2), 4, maxBytes, days,
        Duration.ofMinutes(1), 16);
    return new Retention(store, dir, settings, metrics, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
  }

  /** Stores one event at {@code time} with a snapshot file of {@code bytes} bytes; returns its name. */
  private String stored(long time, int bytes, String tag) throws Exception {
    String name = time + "-" + tag + ".jpg";
    Files.write(dir.resolve(name), new byte[bytes]);
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", "line_crossed");
    event.put("node", "lines");
    event.put(Snapshots.KEY, name);
    store.append(List.of(new FrameEvents("source:a", "p", 1, 0, time, List.of(event), null)), time);
    return name;
  }

  private List<String> files() throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private List<StoredEvent> events() {
    return store.readAfter(0, 100);
  }

  @Test
  void eventsOlderThanTheRetentionGoWithTheirFiles() throws Exception {
    stored(NOW - 31 * DAY, 10, "000000000000000a");
    String edge = stored(NOW - 30 * DAY, 10, "000000000000000b"); // exactly 30 days: kept
    String fresh = stored(NOW - DAY, 10, "000000000000000c");
    String orphan = (NOW - 40 * DAY) + "-000000000000000d.jpg"; // its event was never stored
    Files.write(dir.resolve(orphan), new byte[10]);
    Files.write(dir.resolve("README.txt"), new byte[10]); // not a snapshot: never touched

    assertEquals(new Retention.Sweep(1, 2, 0, 20), retention(30, 0).sweep());

    assertEquals(List.of(edge, fresh), events().stream().map(StoredEvent::snapshot).toList());
    assertEquals(List.of(edge, fresh, "README.txt"), files());
    assertEquals(1.0, metrics.deletedEvents.get());
    assertEquals(2.0, metrics.deletedFiles.labels("age").get());
    assertEquals(new Retention.Sweep(0, 0, 0, 20), retention(30, 0).sweep(), "a second sweep finds nothing");
  }

  @Test
  void beyondTheSizeTheOldestFilesGoAndTheirEventsStayWithoutSnapshot() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      names.add(stored(NOW - (5 - i) * 1000L, 100, String.format("%016x", i)));
    }
    assertEquals(new Retention.Sweep(0, 0, 2, 300), retention(0, 300).sweep());

    List<StoredEvent> events = events();
    assertEquals(5, events.size(), "no event is deleted for size");
    assertNull(events.get(0).snapshot());
    assertNull(events.get(1).snapshot());
    assertEquals(names.subList(2, 5), events.subList(2, 5).stream().map(StoredEvent::snapshot).toList());
    assertEquals(names.subList(2, 5), files());
    assertEquals(2.0, metrics.deletedFiles.labels("size").get());
  }

  @Test
  void zeroKeepsEverything() throws Exception {
    stored(NOW - 1000 * DAY, 100, "000000000000000a");
    assertEquals(new Retention.Sweep(0, 0, 0, 100), retention(0, 0).sweep());
    assertEquals(1, events().size());
    assertEquals(1, files().size());
  }
}
