package io.framewire.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewire.events.FrameEvents;
import io.framewire.metrics.SnapshotMetrics;
import io.framewire.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live tail over a real SQLite store: only what is stored after joining, filtered, bounded per watcher. */
class EventTailTest {

  @TempDir Path data;
  private ActorSystem<Void> system;
  private EventStore store;
  private final SnapshotMetrics metrics = SnapshotMetrics.unregistered();

  @BeforeEach
  void start() {
    system = ActorSystem.create(Behaviors.empty(), "tail-test");
    store = EventStore.open(EventStoreSettings.sqlite(data));
  }

  @AfterEach
  void stop() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
    store.close();
  }

  private void append(String type, String label) {
    store.append(List.of(new FrameEvents("source:a", "p", 1, 0, 1_000, List.of(Map.of("type", type, "label", label)),
        null)), 2_000);
  }

  private static EventQuery types(String... types) {
    return new EventQuery(List.of(), List.of(types), List.of(), List.of(), List.of(), OptionalLong.empty(),
        OptionalLong.empty(), OptionalLong.empty(), 100, true);
  }

  /** A watcher that has had its first item, which says from which id it tails. */
  private TestSubscriber.Probe<EventTail.Item> watch(EventTail tail, EventQuery filter, long expectedAfter) {
    TestSubscriber.Probe<EventTail.Item> probe = tail.watch(filter).runWith(TestSink.probe(system.classicSystem()), system);
    probe.request(1);
    assertEquals(new EventTail.Tailing(expectedAfter), probe.expectNext(), "registered: the first item says so");
    assertEquals(1, tail.watchers());
    return probe;
  }

  private static long idOf(EventTail.Item item) {
    return ((EventTail.Event) item).event().id();
  }

  @Test
  void aWatcherGetsTheMatchingEventsStoredAfterItJoinedWithTheirIds() {
    append("line_crossed", "person"); // before the tail: never tailed
    EventTail tail = new EventTail(store, 16, metrics);
    append("line_crossed", "person"); // before anyone watches
    tail.committed();
    TestSubscriber.Probe<EventTail.Item> crossings = watch(tail, types("line_crossed"), 2);
    append("line_crossed", "car");
    append("zone_entered", "car");
    append("line_crossed", "bike");
    tail.committed();
    crossings.request(10);
    EventTail.Event first = (EventTail.Event) crossings.expectNext();
    assertEquals(3, first.event().id());
    assertEquals("car", first.event().fields().get("label"));
    assertEquals(5, idOf(crossings.expectNext()));
    crossings.expectNoMessage();
    tail.close();
    crossings.expectComplete();
  }

  @Test
  void aSlowWatcherLosesWhatFindsItsBufferFullAndIsToldHowMany() {
    EventTail tail = new EventTail(store, 2, metrics);
    TestSubscriber.Probe<EventTail.Item> slow = watch(tail, types(), 0);
    for (int i = 0; i < 5; i++) {
      append("line_crossed", "person");
    }
    tail.committed(); // ids 1..5: 1 and 2 fit, 3, 4 and 5 are lost
    slow.request(2);
    assertEquals(1, idOf(slow.expectNext()));
    assertEquals(2, idOf(slow.expectNext()));
    append("line_crossed", "person");
    tail.committed(); // id 6: first the news of the loss, then the event
    slow.request(2);
    assertEquals(new EventTail.Lost(3), slow.expectNext());
    assertEquals(6, idOf(slow.expectNext()));
    assertEquals(3.0, metrics.tailDropped.get());
  }
}
