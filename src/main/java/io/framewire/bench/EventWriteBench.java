package io.framewire.bench;

import io.framewire.events.FrameEvents;
import io.framewire.eventstore.EventStore;
import io.framewire.eventstore.EventStoreSettings;
import io.framewire.eventstore.EventWriter;
import io.framewire.metrics.EventMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;

/**
 * Events written per second through the real {@link EventWriter} (its bounded queue, {@code
 * groupedWeightedWithin} batches and one transaction per batch) into the real {@link EventStore}:
 * SQLite in a data directory or PostgreSQL at a JDBC URL. One producer keeps the writer's queue
 * topped up (never over-full: nothing is dropped, which the report checks) with frames of {@code
 * events-per-frame} line-crossing events, so the writer runs flat out; the rate is the events stored
 * over the measured seconds, after a warm-up. scripts/bench/events.sh runs it.
 *
 * <pre>java -cp framewire.jar io.framewire.bench.EventWriteBench (sqlite DIR | postgresql URL USER) [SECONDS=10] [EVENTS_PER_FRAME=1]</pre>
 *
 * Prints one line of JSON: {@code {"store", "seconds", "events_per_s", "batches", "mean_batch",
 * "dropped"}}.
 */
public final class EventWriteBench {

  private static final Duration WARMUP = Duration.ofSeconds(3);

  private EventWriteBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: EventWriteBench (sqlite DIR | postgresql URL USER) [SECONDS=10] [EVENTS_PER_FRAME=1]");
      System.exit(2);
    }
    boolean postgres = args[0].equals("postgresql");
    int next = postgres ? 3 : 2;
    EventStoreSettings settings = postgres
        ? EventStoreSettings.sqlite(Path.of("unused")).onPostgres(args[1], args[2], null)
        : EventStoreSettings.sqlite(Path.of(args[1]));
    int seconds = args.length > next ? Integer.parseInt(args[next]) : 10;
    int perFrame = args.length > next + 1 ? Integer.parseInt(args[next + 1]) : 1;

    ActorSystem system = ActorSystem.create("event-write-bench");
    EventMetrics metrics = EventMetrics.unregistered();
    try (EventStore store = EventStore.open(settings)) {
      EventWriter writer = EventWriter.start(store::append, settings, metrics, Materializer.createMaterializer(system));
      List<Map<String, Object>> events = java.util.Collections.nCopies(perFrame, event());
      int topUp = settings.queueSize() - 64; // below the bound: a full queue would drop, not wait
      long start = System.nanoTime();
      long measureFrom = start + WARMUP.toNanos();
      long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
      double storedAtStart = -1;
      double batchesAtStart = 0;
      long measuredFrom = 0;
      long frame = 0;
      for (long now = start; now < end; now = System.nanoTime()) {
        if (storedAtStart < 0 && now >= measureFrom) {
          storedAtStart = metrics.stored.get();
          batchesAtStart = metrics.batches.get();
          measuredFrom = now;
        }
        if (writer.queued() < topUp) {
          writer.publish(new FrameEvents("source:bench", "bench", 1, frame, System.currentTimeMillis(), events, null));
          frame++;
        } else {
          LockSupport.parkNanos(200_000); // the writer is behind: let it drain
        }
      }
      double elapsed = (System.nanoTime() - measuredFrom) / 1e9;
      double stored = metrics.stored.get() - storedAtStart;
      double batches = metrics.batches.get() - batchesAtStart;
      double dropped = metrics.dropped.labels(EventMetrics.QUEUE_FULL).get()
          + metrics.dropped.labels(EventMetrics.STORE_ERROR).get();
      writer.stop().toCompletableFuture().get(60, TimeUnit.SECONDS);
      System.out.printf(java.util.Locale.ROOT,
          "{\"store\":\"%s\",\"seconds\":%d,\"events_per_frame\":%d,\"events_per_s\":%.0f,\"batches\":%.0f,"
              + "\"mean_batch\":%.1f,\"dropped\":%.0f}%n",
          store.vendor().folder, seconds, perFrame, stored / elapsed, batches, batches == 0 ? 0 : stored / batches,
          dropped);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** A line crossing as the analytics tools raise it (analytics.md), with its node. */
  private static Map<String, Object> event() {
    return Map.of("type", "line_crossed", "node", "lines", "line", "door", "direction", "in", "track_id", 17,
        "label", "person", "frame_index", 8812, "time", "2025-06-15T15:06:40.120Z",
        "box", Map.of("x", 410, "y", 220, "w", 60, "h", 150));
  }
}
