package io.framewire.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;

/**
 * The event store's metrics, registered in a server's registry next to {@link StreamMetrics}: what
 * was written, and what was not ({@code events_dropped_total{reason}}: never silently).
 */
public final class EventMetrics {

  /** The writer's queue was full: the store falls behind the producers. */
  public static final String QUEUE_FULL = "queue_full";
  /** A batch still failed after its retries (the database is down or refuses the rows). */
  public static final String STORE_ERROR = "store_error";
  /** Published after the writer stopped (shutdown). */
  public static final String CLOSED = "closed";

  public final Counter stored;
  public final Counter batches;
  public final Counter dropped;
  /** 1 while the last write succeeded, 0 while writes fail. */
  public final Gauge storeUp;
  /** Writes (batches) that failed, each retry counted. */
  public final Counter writeFailures;
  /** Snapshots, retention and the live tail, in the same registry. */
  public final SnapshotMetrics snapshots;

  /** Registered in {@code registry} (a server's {@link StreamMetrics#registry()}). */
  public EventMetrics(CollectorRegistry registry) {
    stored = Counter.build()
        .name("events_stored_total").help("Events written to the event store.")
        .register(registry);
    batches = Counter.build()
        .name("events_write_batches_total").help("Transactions the event writer committed (one per batch).")
        .register(registry);
    dropped = Counter.build()
        .name("events_dropped_total").help("Events not stored, by reason: queue_full, store_error, closed.")
        .labelNames("reason")
        .register(registry);
    storeUp = Gauge.build()
        .name("events_store_up").help("1 while the event store takes writes, 0 while they fail.")
        .register(registry);
    writeFailures = Counter.build()
        .name("events_write_failures_total").help("Event store writes (batches) that failed, each retry counted.")
        .register(registry);
    for (String reason : new String[] {QUEUE_FULL, STORE_ERROR, CLOSED}) {
      dropped.labels(reason); // every reason shows from the start, at 0
    }
    snapshots = new SnapshotMetrics(registry);
  }

  /** Metrics counted nowhere visible: tests, {@code framewire run}. */
  public static EventMetrics unregistered() {
    return new EventMetrics(new CollectorRegistry());
  }

  public double droppedCount(String reason) {
    return dropped.labels(reason).get();
  }
}
