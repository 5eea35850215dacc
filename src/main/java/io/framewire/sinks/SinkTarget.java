package io.framewire.sinks;

import io.framewire.events.StoredEvent;

/**
 * One sink's connection to its target. A sink calls it from one thread at a time, one event at a
 * time, in id order, on the sinks' own threads (never an actor's or a frame's), so an
 * implementation may block.
 */
interface SinkTarget extends AutoCloseable {

  /**
   * Sends one event and returns once the target acknowledged it (MQTT PUBACK/PUBCOMP, Kafka
   * {@code acks=all}, a webhook's 2xx).
   *
   * @param json the event as {@link EventJson} wrote it
   * @throws Exception when it was not acknowledged (the sink retries it, after a backoff); an
   *     implementation that cannot tell leaves its connection closed, so the next send starts afresh
   */
  void send(StoredEvent event, byte[] json) throws Exception;

  /** Closes the connection; may block shortly. */
  @Override
  void close();
}
