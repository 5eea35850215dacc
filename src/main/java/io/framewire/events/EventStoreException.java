package io.framewire.events;

/** The event store could not do what was asked (the database is unreachable, a write failed). */
public final class EventStoreException extends RuntimeException {

  public EventStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
