package io.framewire.eventstore;

import io.framewire.events.EventLog;
import io.framewire.events.StoredEvent;
import io.framewire.metrics.SnapshotMetrics;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live tail of the store ({@code GET /ws/events}): after each committed batch the writer calls
 * {@link #committed}, which reads the events stored since the last call (from the store, so each
 * has its id and snapshot name, exactly as {@code GET /events} shows it) and offers them to every
 * watcher whose filter they match. With no watcher it only notes the newest id.
 *
 * <p>Each watcher has its own bounded buffer ({@code EVENTS_TAIL_BUFFER}). A watcher that reads
 * slower than events are stored loses the events that find its buffer full (never the writer's time,
 * never another watcher's) and, once there is room again, gets a {@link Lost} with how many before
 * the next event. Counted {@code events_tail_dropped_total}.
 */
public final class EventTail implements AutoCloseable {

  /** What a watcher receives. */
  public sealed interface Item {}

  /** A stored event the filter matches. */
  public record Event(StoredEvent event) implements Item {}

  /** {@code count} matching events were lost here because the watcher's buffer was full. */
  public record Lost(long count) implements Item {}

  /**
   * A watcher's first item, once it is registered: every event stored after {@code afterId} that
   * matches reaches it (earlier ones are in {@code GET /events?after=…}).
   */
  public record Tailing(long afterId) implements Item {}

  private static final Logger log = LoggerFactory.getLogger(EventTail.class);
  private static final int READ = 1000;

  private final EventLog store;
  private final int buffer;
  private final SnapshotMetrics metrics;
  private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
  /** Guards the watchers' registration against a commit's delivery, so Tailing comes first. */
  private final Object delivery = new Object();
  private long lastId; // guarded by delivery
  private volatile boolean closed;

  /** Starts after the newest event stored now (a query). */
  public EventTail(EventLog store, int buffer, SnapshotMetrics metrics) {
    this.store = store;
    this.buffer = buffer;
    this.metrics = metrics;
    this.lastId = store.latestId();
  }

  /**
   * The events stored from now on that {@code filter} matches (its streams, types, labels, lines and
   * zones; its times, limit and order are not used), after a first {@link Tailing} saying from which
   * id. Completes when the tail closes (shutdown).
   */
  public Source<Item, NotUsed> watch(EventQuery filter) {
    return Source.<Item>queue(buffer)
        .mapMaterializedValue(queue -> {
          Watcher watcher = new Watcher(queue, filter);
          synchronized (delivery) {
            queue.offer(new Tailing(lastId)); // the queue is empty: it always fits
            watchers.add(watcher);
          }
          if (closed) { // closed meanwhile: end at once
            watchers.remove(watcher);
            queue.complete();
          }
          return watcher;
        })
        .watchTermination((watcher, done) -> {
          done.whenComplete((ok, failure) -> watchers.remove(watcher));
          return NotUsed.getInstance();
        });
  }

  /** Watchers connected now. */
  public int watchers() {
    return watchers.size();
  }

  /**
   * The writer committed a batch: hands what was stored since the last call to the watchers. Never
   * throws (a failure here must not make the writer write the batch again): a read that fails is
   * tried again at the next commit.
   */
  public void committed() {
    synchronized (delivery) {
      deliver();
    }
  }

  private void deliver() {
    try {
      if (watchers.isEmpty()) {
        lastId = store.latestId();
        return;
      }
      List<StoredEvent> read;
      do {
        read = store.readAfter(lastId, READ);
        for (StoredEvent event : read) {
          for (Watcher watcher : watchers) {
            watcher.offer(event);
          }
          lastId = event.id();
        }
      } while (read.size() == READ);
    } catch (RuntimeException e) {
      log.warn("live tail: reading the stored events failed, trying again at the next commit: {}", e.getMessage());
    }
  }

  /** Ends every watcher's stream; new watchers end at once. Idempotent. */
  @Override
  public void close() {
    closed = true;
    for (Watcher watcher : watchers) {
      watcher.queue.complete();
    }
  }

  /** Whether {@code event} is one {@code filter} asks for. */
  static boolean matches(EventQuery filter, StoredEvent event) {
    return in(filter.streams(), event.stream())
        && in(filter.types(), event.type())
        && in(filter.labels(), event.fields().get("label"))
        && in(filter.lines(), event.fields().get("line"))
        && in(filter.zones(), event.fields().get("zone"));
  }

  private static boolean in(List<String> wanted, Object value) {
    return wanted.isEmpty() || (value != null && wanted.contains(value.toString()));
  }

  private final class Watcher {
    final BoundedSourceQueue<Item> queue;
    final EventQuery filter;
    long lost; // the writer's thread only

    Watcher(BoundedSourceQueue<Item> queue, EventQuery filter) {
      this.queue = queue;
      this.filter = filter;
    }

    void offer(StoredEvent event) {
      if (!matches(filter, event)) {
        return;
      }
      if (lost > 0) {
        if (queue.offer(new Lost(lost)) != QueueOfferResult.enqueued()) {
          lose();
          return;
        }
        lost = 0;
      }
      if (queue.offer(new Event(event)) != QueueOfferResult.enqueued()) {
        lose();
      }
    }

    private void lose() {
      lost++;
      metrics.tailDropped.inc();
    }
  }
}
