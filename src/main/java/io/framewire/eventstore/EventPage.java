package io.framewire.eventstore;

import io.framewire.events.StoredEvent;
import java.util.List;
import java.util.OptionalLong;

/**
 * One page of {@link EventStore#query}.
 *
 * @param next the cursor of the next page (the last event's id), empty when this page is the last
 */
public record EventPage(List<StoredEvent> events, OptionalLong next) {

  public EventPage {
    events = List.copyOf(events);
  }
}
