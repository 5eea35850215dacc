package io.framewire.eventstore;

import io.framewire.events.EventPublisher;
import io.framewire.events.FrameEvents;
import io.framewire.metrics.EventMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.Done;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's {@link EventPublisher}: a bounded queue of frames' events → batches of up to {@code
 * batch-max} events or {@code batch-window-ms} ({@code groupedWeightedWithin}) → one transaction per
 * batch, on a thread of its own (JDBC blocks). {@link #publish} only offers to the queue: it never
 * blocks nor waits for a write. A full queue drops the frame's events and counts them
 * ({@code events_dropped_total{reason="queue_full"}}). A batch that fails is held and retried while
 * the queue absorbs what comes meanwhile; once the queue is full it gets {@code write-retries} more
 * tries, then is dropped, counted ({@code reason="store_error"}) and logged, so the writer moves on
 * to the queued frames. A fault shows in {@link #health()} ({@code /health}), the metrics ({@code
 * events_store_up}, {@code events_write_failures_total}) and the log (once per {@link
 * #FAULT_LOG_INTERVAL}), and ends by itself at the first write that succeeds.
 *
 * <p>What a crash (the process killed) can lose: the events still in the queue and in the batch being
 * filled, that is those published less than one batch window (plus the write in progress) before it;
 * every committed batch is kept. {@link #stop} writes what is queued before it completes.
 */
public final class EventWriter implements EventPublisher {

  /** Where batches go: {@link EventStore#append} (tests wrap it, e.g. to hold it on a latch). */
  @FunctionalInterface
  public interface Batches {
    /** Writes the batch in one transaction, or throws and writes none of it. */
    void append(List<FrameEvents> batch, long receivedAtMillis);
  }

  private static final Logger log = LoggerFactory.getLogger(EventWriter.class);

  /** The longest wait between two tries of a batch while the store is failing. */
  static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(5);
  /** The shortest wait between two tries of a batch held through an outage. */
  private static final long MIN_HOLD_BACKOFF_MS = 10;
  /** A store fault is logged when it starts, then at most once per this while it lasts. */
  static final Duration FAULT_LOG_INTERVAL = Duration.ofSeconds(60);

  private final BoundedSourceQueue<FrameEvents> queue;
  private final CompletionStage<Done> done;
  private final EventMetrics metrics;
  private final StoreHealth health;
  private final Retrying retrying;

  /** What the writer's thread asks before it gives up on a failing batch. */
  private static final class Retrying {
    volatile BoundedSourceQueue<FrameEvents> queue; // set once the stream runs
    volatile boolean stopping;
    final int queueSize;

    Retrying(int queueSize) {
      this.queueSize = queueSize;
    }

    /** Holding the batch loses nothing while the queue still has room for what comes meanwhile. */
    boolean holdBatch() {
      BoundedSourceQueue<FrameEvents> q = queue;
      return !stopping && q != null && q.size() < queueSize;
    }
  }

  private EventWriter(BoundedSourceQueue<FrameEvents> queue, CompletionStage<Done> done, EventMetrics metrics,
      StoreHealth health, Retrying retrying) {
    this.queue = queue;
    this.done = done;
    this.metrics = metrics;
    this.health = health;
    this.retrying = retrying;
  }

  /** Starts the writer's stream on {@code materializer}, writing to {@code store}. */
  public static EventWriter start(
      Batches store, EventStoreSettings settings, EventMetrics metrics, Materializer materializer) {
    // One thread: batches are written one at a time, in order (ids increase in publishing order).
    ExecutorService jdbc = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "framewire-events-writer");
      thread.setDaemon(true);
      return thread;
    });
    StoreHealth health = new StoreHealth(FAULT_LOG_INTERVAL, System::currentTimeMillis);
    Retrying retrying = new Retrying(settings.queueSize());
    metrics.storeUp.set(1);
    Pair<BoundedSourceQueue<FrameEvents>, CompletionStage<Done>> run = Source.<FrameEvents>queue(settings.queueSize())
        .groupedWeightedWithin(settings.batchMax(), frame -> (long) frame.events().size(), settings.batchWindow())
        .mapAsync(1, batch -> CompletableFuture.runAsync(
            () -> write(store, batch, settings, metrics, health, retrying), jdbc))
        // Small buffers between the stages: what waits for the store waits in the bounded queue,
        // where it is counted when it overflows.
        .addAttributes(Attributes.inputBuffer(1, 1))
        .toMat(Sink.ignore(), Keep.both())
        .run(materializer);
    retrying.queue = run.first();
    CompletionStage<Done> done = run.second().whenComplete((ok, failure) -> {
      jdbc.shutdown();
      if (failure != null) {
        log.error("the event writer failed; events are no longer stored", failure);
      }
    });
    return new EventWriter(run.first(), done, metrics, health, retrying);
  }

  /** Whether the last write succeeded, or since when writes fail. */
  public StoreHealth.Status health() {
    return health.status();
  }

  @Override
  public void publish(FrameEvents events) {
    int count = events.events().size();
    if (count == 0) {
      return;
    }
    QueueOfferResult result = queue.offer(events);
    if (result == QueueOfferResult.enqueued()) {
      return;
    }
    metrics.dropped.labels(result == QueueOfferResult.dropped() ? EventMetrics.QUEUE_FULL : EventMetrics.CLOSED)
        .inc(count);
  }

  /** Frames' events waiting in the queue now. */
  public int queued() {
    return queue.size();
  }

  /**
   * Takes no more events and completes once those queued are written (or dropped after their
   * retries). Idempotent.
   */
  public CompletionStage<Done> stop() {
    retrying.stopping = true;
    queue.complete();
    return done;
  }

  /**
   * Writes one batch. A failure is retried with a backoff doubling from {@code retry-backoff-ms} up
   * to {@link #MAX_RETRY_BACKOFF}: for as long as the queue still has room for the frames that come
   * meanwhile (so an outage shorter than the queue's worth loses nothing), then {@code write-retries}
   * more times before the batch is dropped and counted; when stopping, only those.
   */
  private static void write(Batches store, List<FrameEvents> batch, EventStoreSettings settings, EventMetrics metrics,
      StoreHealth health, Retrying retrying) {
    int count = batch.stream().mapToInt(frame -> frame.events().size()).sum();
    long receivedAt = System.currentTimeMillis();
    int retries = 0;
    for (int attempt = 0; ; attempt++) {
      try {
        store.append(batch, receivedAt);
        metrics.stored.inc(count);
        metrics.batches.inc();
        health.succeeded();
        metrics.storeUp.set(1);
        return;
      } catch (RuntimeException e) {
        metrics.writeFailures.inc();
        metrics.storeUp.set(0);
        health.failed(e.getMessage());
        boolean hold = retrying.holdBatch();
        if (!hold && retries++ >= settings.writeRetries()) {
          metrics.dropped.labels(EventMetrics.STORE_ERROR).inc(count);
          log.error("event store: {} events dropped after {} attempts: {}", count, attempt + 1, e.getMessage());
          return;
        }
        long wait = Math.min(MAX_RETRY_BACKOFF.toMillis(), settings.retryBackoff().toMillis() << Math.min(attempt, 16));
        if (hold) {
          wait = Math.max(wait, MIN_HOLD_BACKOFF_MS); // a store that is down is not asked in a busy loop
        }
        try {
          Thread.sleep(wait); // this thread is the writer's own: waiting here holds back only the writer
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          metrics.dropped.labels(EventMetrics.STORE_ERROR).inc(count);
          return;
        }
      }
    }
  }
}
