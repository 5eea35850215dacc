package io.framewire.sinks;

import io.framewire.events.StoredEvent;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * One sink's connection to its target. A sink calls it from one thread at a time, one batch at a
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

  /**
   * Sends a batch in order and returns once every event of it was acknowledged, with up to {@code
   * maxInFlight} sent and not yet acknowledged at a time where the target's protocol keeps their
   * order on one connection (MQTT, Kafka); the default sends one at a time. Calls {@code
   * acknowledged} with each event's index, in index order, as its acknowledgement arrives.
   *
   * @throws Exception at the first event not acknowledged: the ones before it were (and were
   *     reported); it and those after it are sent again after a backoff (some may have arrived:
   *     at-least-once)
   */
  default void sendAll(List<StoredEvent> events, List<byte[]> json, int maxInFlight, IntConsumer acknowledged)
      throws Exception {
    for (int i = 0; i < events.size(); i++) {
      send(events.get(i), json.get(i));
      acknowledged.accept(i);
    }
  }

  /** Closes the connection; may block shortly. */
  @Override
  void close();
}
