package io.framewire.sources;

import java.util.Locale;

/** Where a live source is in its life; shown lower-case in the API. */
public enum SourceState {
  /** Opening the URL for the first time. */
  CONNECTING,
  /** Open and decoding. */
  RUNNING,
  /** Lost (or never reached): waiting for the next attempt, or attempting. */
  RECONNECTING,
  /** Deleted, or the server is stopping. */
  STOPPED,
  /** Gave up after {@code max-attempts} failed attempts in a row. */
  FAILED;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
