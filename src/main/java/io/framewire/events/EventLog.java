package io.framewire.events;

import java.util.List;

/**
 * The stored events in the order the store accepted them: what a sink reads from its own position
 * (the store is the sinks' outbox), so a sink that was down catches up without losing any.
 */
public interface EventLog {

  /**
   * The events with {@code id > afterId}, oldest first, at most {@code limit}.
   *
   * @throws EventStoreException if the store cannot be read now (a sink retries later)
   */
  List<StoredEvent> readAfter(long afterId, int limit);

  /** The id of the newest stored event, 0 when there is none (a sink's lag is this minus its position). */
  long latestId();
}
