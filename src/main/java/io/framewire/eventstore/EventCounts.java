package io.framewire.eventstore;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * An aggregate of the stored events ({@code GET /events/counts}), computed by the database: how many
 * events matched {@code filter}'s filters, per value of each {@code groupBy} column and per time
 * bucket (the frame time floored to a multiple of the bucket, in UTC epoch milliseconds).
 *
 * @param filter the events counted (its paging is ignored)
 * @param groupBy columns among {@link #GROUPABLE}, in the order the rows name them
 * @param bucketMillis the bucket's length, if counts are per time bucket
 */
public record EventCounts(EventQuery filter, List<String> groupBy, OptionalLong bucketMillis) {

  /** The columns counts may be grouped by. */
  public static final Set<String> GROUPABLE = Set.of("type", "label", "line", "zone", "stream");

  public EventCounts {
    Objects.requireNonNull(filter, "filter");
    groupBy = List.copyOf(groupBy);
    for (String column : groupBy) {
      if (!GROUPABLE.contains(column)) {
        throw new IllegalArgumentException("cannot group by '" + column + "'; one of type, label, line, zone, stream");
      }
    }
    if (Set.copyOf(groupBy).size() != groupBy.size()) {
      throw new IllegalArgumentException("group_by names a column twice: " + String.join(",", groupBy));
    }
    Objects.requireNonNull(bucketMillis, "bucketMillis");
    bucketMillis.ifPresent(b -> {
      if (b < 1000) {
        throw new IllegalArgumentException("bucket must be at least 1 s, got " + b + " ms");
      }
    });
  }

  /**
   * One row of the answer.
   *
   * @param bucketStartMillis the bucket's start, when counted per bucket
   * @param group the value of each {@code groupBy} column (null where the events have none)
   * @param count the events in it
   */
  public record Row(OptionalLong bucketStartMillis, Map<String, String> group, long count) {}
}
