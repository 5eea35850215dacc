package io.framewire.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.events.FrameEvents;
import io.framewire.events.StoredEvent;
import io.framewire.metrics.EventMetrics;
import io.framewire.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batched writer over a real SQLite store: drops counted, retries bounded, stop flushes. */
class EventWriterTest {

  @TempDir Path tmp;
  private ActorSystem<Void> system;
  private EventStore store;
  private final EventMetrics metrics = EventMetrics.unregistered();

  @BeforeEach
  void start() {
    system = ActorSystem.create(Behaviors.empty(), "writer-test");
    store = EventStore.open(EventStoreSettings.sqlite(tmp));
  }

  @AfterEach
  void stop() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
    store.close();
  }

  private EventWriter writer(EventWriter.Batches batches, int queueSize, int batchMax, int retries) {
    EventStoreSettings settings = EventStoreSettings.sqlite(tmp)
        .withWriter(queueSize, batchMax, Duration.ofMillis(5), retries, Duration.ZERO);
    return EventWriter.start(batches, settings, metrics, Materializer.matFromSystem(system));
  }

  private static FrameEvents frame(int trackId) {
    return new FrameEvents("session:w", "p", 1, trackId, 1_000L + trackId,
        List.of(Map.of("type", "line_crossed", "node", "lines", "track_id", trackId)), null);
  }

  private static List<Integer> trackIds(List<StoredEvent> events) {
    return events.stream().map(e -> ((Number) e.fields().get("track_id")).intValue()).toList();
  }

  @Test
  void aFullQueueDropsAndCountsWithoutBlockingThePublisher() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    EventWriter writer = writer((batch, at) -> {
      await(release); // the store is stuck: everything behind it waits in the bounded queue
      store.append(batch, at);
    }, 4, 1, 0);
    int published = 200;
    for (int i = 0; i < published; i++) {
      writer.publish(frame(i)); // returns at once although the store does not move
    }
    double dropped = metrics.droppedCount(EventMetrics.QUEUE_FULL);
    // At most the queue (4) and the few elements inside the stream's stages were taken.
    assertTrue(dropped >= published - 4 - 16 && dropped < published, "dropped " + dropped);
    release.countDown();
    TestServer.await("every event stored or dropped",
        () -> metrics.stored.get() + metrics.droppedCount(EventMetrics.QUEUE_FULL) == published);
    List<StoredEvent> stored = store.readAfter(0, 1000);
    assertEquals(published - (int) dropped, stored.size());
    List<Integer> ids = trackIds(stored);
    assertEquals(ids.stream().sorted().toList(), ids); // in publishing order
    assertEquals(0.0, metrics.droppedCount(EventMetrics.STORE_ERROR));
  }

  @Test
  void aFailedBatchIsRetriedThenCountedAsAStoreError() {
    AtomicInteger calls = new AtomicInteger();
    EventWriter flaky = writer((batch, at) -> {
      if (calls.incrementAndGet() <= 2) {
        throw new io.framewire.events.EventStoreException("database down", null);
      }
      store.append(batch, at);
    }, 16, 500, 2);
    flaky.publish(frame(1));
    flaky.stop().toCompletableFuture().join();
    assertEquals(3, calls.get()); // two failures, then the retry that worked
    assertEquals(List.of(1), trackIds(store.readAfter(0, 10)));
    assertEquals(0.0, metrics.droppedCount(EventMetrics.STORE_ERROR));

    EventWriter broken = writer((batch, at) -> {
      throw new io.framewire.events.EventStoreException("database down", null);
    }, 16, 500, 1);
    broken.publish(new FrameEvents("session:w", "p", 1, 0, 0, List.of(Map.of("type", "a"), Map.of("type", "b")), null));
    broken.stop().toCompletableFuture().join();
    assertEquals(2.0, metrics.droppedCount(EventMetrics.STORE_ERROR)); // both events of the batch, counted once
  }

  @Test
  void anOutageTheQueueAbsorbsLosesNothingAndShowsInHealthUntilTheStoreIsBack() throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    AtomicInteger failures = new AtomicInteger();
    EventWriter writer = writer((batch, at) -> {
      if (down.get()) {
        failures.incrementAndGet();
        throw new io.framewire.events.EventStoreException("connection refused", null);
      }
      store.append(batch, at);
    }, 100, 5, 1);
    assertTrue(writer.health().ok());
    for (int i = 0; i < 40; i++) {
      writer.publish(frame(i));
    }
    // Far more failed tries than write-retries (1): the batch is held while the queue has room.
    // Awaited on the health itself: the writer records an attempt after the store's call has thrown
    // (counting the metric first, then the health), so the store's own count runs ahead of it.
    TestServer.await("the store failing for a while", () -> writer.health().failedAttempts() >= 5);
    StoreHealth.Status failing = writer.health();
    assertTrue(failures.get() >= 5, failures.get() + " failed calls");
    assertEquals(false, failing.ok());
    assertEquals("connection refused", failing.lastError());
    assertTrue(failing.failedAttempts() >= 5, failing.toString());
    assertEquals(0.0, metrics.storeUp.get());
    assertTrue(metrics.writeFailures.get() >= 5);
    assertEquals(0.0, metrics.droppedCount(EventMetrics.STORE_ERROR));
    assertEquals(0.0, metrics.droppedCount(EventMetrics.QUEUE_FULL));

    down.set(false);
    TestServer.await("every event stored once the store is back", () -> metrics.stored.get() == 40);
    assertEquals(IntStream.range(0, 40).boxed().toList(), trackIds(store.readAfter(0, 100)));
    assertTrue(writer.health().ok());
    assertEquals(1.0, metrics.storeUp.get());
    assertEquals(0.0, metrics.droppedCount(EventMetrics.STORE_ERROR) + metrics.droppedCount(EventMetrics.QUEUE_FULL));
    writer.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void anOutageLongerThanTheQueueCountsWhatItDropsAndTheWriterRecovers() throws Exception {
    AtomicBoolean down = new AtomicBoolean(true);
    EventWriter writer = writer((batch, at) -> {
      if (down.get()) {
        throw new io.framewire.events.EventStoreException("disk full", null);
      }
      store.append(batch, at);
    }, 4, 2, 1);
    // Frames keep coming during the outage: the queue (4) fills, so the held batch gets its one
    // retry and is dropped, counted; then the next batch is held, and so on.
    int published = 0;
    // Both kinds of drop, whichever comes first: on a loaded machine the held batch may be dropped
    // before a publish finds the queue full, or publishes may fill it before the first drop.
    while (metrics.droppedCount(EventMetrics.STORE_ERROR) < 2 || metrics.droppedCount(EventMetrics.QUEUE_FULL) == 0) {
      assertTrue(published < 100_000, "no batch was dropped, or the queue never filled");
      writer.publish(frame(published++));
      Thread.sleep(1);
    }
    assertEquals(0.0, metrics.stored.get());
    down.set(false);
    int all = published;
    TestServer.await("every event stored or counted", () -> metrics.stored.get()
        + metrics.droppedCount(EventMetrics.QUEUE_FULL) + metrics.droppedCount(EventMetrics.STORE_ERROR) == all);
    assertTrue(writer.health().ok());
    List<Integer> stored = trackIds(store.readAfter(0, 100_000));
    assertEquals((int) metrics.stored.get(), stored.size());
    assertEquals(stored.stream().sorted().toList(), stored); // what is kept, in publishing order
    writer.publish(frame(all));
    TestServer.await("writing again", () -> trackIds(store.readAfter(0, 100_000)).contains(all));
    writer.stop().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Test
  void stopWritesWhatIsQueuedAndLaterEventsAreCountedClosed() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    EventWriter writer = writer((batch, at) -> {
      await(release);
      store.append(batch, at);
    }, 100, 3, 0);
    for (int i = 0; i < 10; i++) {
      writer.publish(frame(i));
    }
    writer.publish(new FrameEvents("session:w", "p", 1, 99, 0, List.of(), null)); // no events: nothing queued
    var stopped = writer.stop();
    release.countDown();
    stopped.toCompletableFuture().get(20, TimeUnit.SECONDS);
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), trackIds(store.readAfter(0, 100)));
    assertEquals(10.0, metrics.stored.get());
    assertTrue(metrics.batches.get() >= 4, "batches of at most 3 events: " + metrics.batches.get());
    writer.publish(frame(10));
    assertEquals(1.0, metrics.droppedCount(EventMetrics.CLOSED));
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
