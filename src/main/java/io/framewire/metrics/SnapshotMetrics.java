package io.framewire.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;

/**
 * Snapshots, retention and the live tail of the event store (docs/events.md): what was written and
 * deleted, and what was not ({@code snapshots_dropped_total{reason}}: never silently).
 */
public final class SnapshotMetrics {

  /** The snapshot queue was full: the event is stored without a snapshot. */
  public static final String QUEUE_FULL = "queue_full";
  /** The frame could not be drawn or the file not written (the event names a file that is missing). */
  public static final String WRITE_ERROR = "write_error";

  public final Counter written;
  public final Counter dropped;
  public final Counter deletedEvents;
  public final Counter deletedFiles;
  public final Counter tailDropped;

  /** Registered in {@code registry} (a server's {@link StreamMetrics#registry()}). */
  public SnapshotMetrics(CollectorRegistry registry) {
    written = Counter.build()
        .name("snapshots_written_total").help("Event snapshots written to the snapshot directory.")
        .register(registry);
    dropped = Counter.build()
        .name("snapshots_dropped_total").help("Event snapshots not written, by reason: queue_full, write_error.")
        .labelNames("reason")
        .register(registry);
    deletedEvents = Counter.build()
        .name("events_retention_deleted_total").help("Events the retention sweep deleted (older than EVENTS_RETENTION_DAYS).")
        .register(registry);
    deletedFiles = Counter.build()
        .name("snapshots_deleted_total").help("Snapshot files the retention sweep deleted, by reason: age, size.")
        .labelNames("reason")
        .register(registry);
    tailDropped = Counter.build()
        .name("events_tail_dropped_total").help("Stored events a live-tail watcher (GET /ws/events) lost because its buffer was full.")
        .register(registry);
    dropped.labels(QUEUE_FULL);
    dropped.labels(WRITE_ERROR);
    deletedFiles.labels("age");
    deletedFiles.labels("size");
  }

  /** Metrics counted nowhere visible: tests, {@code framewire run}. */
  public static SnapshotMetrics unregistered() {
    return new SnapshotMetrics(new CollectorRegistry());
  }

  public double droppedCount(String reason) {
    return dropped.labels(reason).get();
  }
}
