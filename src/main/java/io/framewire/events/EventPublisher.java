package io.framewire.events;

/**
 * Where producers hand the events of each frame. It must never block nor throw on the frame's path:
 * an implementation queues (bounded) and counts what it cannot take
 * ({@code events_dropped_total{reason}}), it never slows the frame.
 */
@FunctionalInterface
public interface EventPublisher {

  /** Publishes nothing: for a server without an event store, and for tests. */
  EventPublisher NONE = events -> {};

  /** Hands over one frame's events; returns at once. */
  void publish(FrameEvents events);
}
