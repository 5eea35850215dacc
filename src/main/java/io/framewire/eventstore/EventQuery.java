package io.framewire.eventstore;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Which stored events to read ({@code GET /events}): each list filter matches any of its values (empty:
 * no filter), the time range is {@code since <= time < until} on the frame time, and paging is by id
 * (a keyset: new events never shift a page).
 *
 * @param after the cursor: the id of the last event of the previous page; the page starts past it in
 *     the order asked for
 * @param limit the most events in the page
 * @param ascending oldest first; false: newest first
 */
public record EventQuery(
    List<String> streams,
    List<String> types,
    List<String> labels,
    List<String> lines,
    List<String> zones,
    OptionalLong sinceMillis,
    OptionalLong untilMillis,
    OptionalLong after,
    int limit,
    boolean ascending) {

  /** The most events one page may hold. */
  public static final int MAX_LIMIT = 1000;
  public static final int DEFAULT_LIMIT = 100;

  public EventQuery {
    streams = List.copyOf(streams);
    types = List.copyOf(types);
    labels = List.copyOf(labels);
    lines = List.copyOf(lines);
    zones = List.copyOf(zones);
    Objects.requireNonNull(sinceMillis, "sinceMillis");
    Objects.requireNonNull(untilMillis, "untilMillis");
    Objects.requireNonNull(after, "after");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
    }
  }

  /** Every event, newest first, a default page. */
  public static EventQuery all() {
    return new EventQuery(List.of(), List.of(), List.of(), List.of(), List.of(),
        OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), DEFAULT_LIMIT, false);
  }

  public EventQuery withLimit(int newLimit) {
    return new EventQuery(streams, types, labels, lines, zones, sinceMillis, untilMillis, after, newLimit, ascending);
  }

  public EventQuery withAfter(long cursor) {
    return new EventQuery(streams, types, labels, lines, zones, sinceMillis, untilMillis, OptionalLong.of(cursor),
        limit, ascending);
  }

  public EventQuery ascending(boolean oldestFirst) {
    return new EventQuery(streams, types, labels, lines, zones, sinceMillis, untilMillis, after, limit, oldestFirst);
  }

  public EventQuery withTypes(List<String> newTypes) {
    return new EventQuery(streams, newTypes, labels, lines, zones, sinceMillis, untilMillis, after, limit, ascending);
  }

  public EventQuery withStreams(List<String> newStreams) {
    return new EventQuery(newStreams, types, labels, lines, zones, sinceMillis, untilMillis, after, limit, ascending);
  }

  public EventQuery withTime(OptionalLong since, OptionalLong until) {
    return new EventQuery(streams, types, labels, lines, zones, since, until, after, limit, ascending);
  }
}
