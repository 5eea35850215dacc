package io.framewire.engine;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** The failure behind the wrappers that futures put around it, for whoever maps or reports it. */
public final class Failures {

  private Failures() {}

  /**
   * {@code failure} without its {@link CompletionException} and {@link ExecutionException} layers
   * (any number, nested): the exception the work itself failed with. A wrapper without a cause is
   * returned as it is; null stays null.
   */
  public static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }
}
