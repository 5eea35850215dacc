package io.framewire.sinks;

import io.framewire.events.EventLog;
import io.framewire.events.StoredEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An {@link EventLog} in memory: the events appended, ids 1, 2, 3, … (the store's contract: unique, increasing). */
final class ListEventLog implements EventLog {

  private final List<StoredEvent> events = new ArrayList<>();

  /** Appends an event of {@code type} in {@code stream} with {@code fields}; returns it as stored. */
  synchronized StoredEvent append(String type, String stream, Map<String, Object> fields) {
    long id = events.size() + 1;
    StoredEvent event = new StoredEvent(id, type, stream, "count", 2, "lines", 1_760_000_000_000L + id * 40,
        1_760_000_000_005L + id * 40, fields, id % 2 == 0 ? "snapshots/" + id + ".jpg" : null);
    events.add(event);
    return event;
  }

  /** Appends {@code n} line crossings of person tracks, alternating between two cameras. */
  synchronized List<StoredEvent> appendCrossings(int n) {
    List<StoredEvent> appended = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long track = events.size() + 1;
      appended.add(append("line_crossed", track % 2 == 0 ? "source:gate" : "source:door", Map.of(
          "line", "entry", "direction", "in", "track_id", track, "label", "person", "frame_index", 10 * track,
          "box", Map.of("x", 0.25, "y", 0.5, "w", 0.125, "h", 0.25))));
    }
    return appended;
  }

  @Override
  public synchronized List<StoredEvent> readAfter(long afterId, int limit) {
    int from = (int) Math.min(Math.max(afterId, 0), events.size());
    return List.copyOf(events.subList(from, Math.min(events.size(), from + limit)));
  }

  @Override
  public synchronized long latestId() {
    return events.size();
  }
}
