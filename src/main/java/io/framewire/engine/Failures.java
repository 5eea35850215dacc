package io.framewire.engine;

import io.framewire.inference.ModelBusyException;
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

  /**
   * Whether {@code failure} is overload rather than a failure: a model's queue was full
   * ({@link ModelBusyException}), directly or as the cause of a tool's {@link PipelineFailure} or a
   * video run's {@link FrameFailedException}. Such a frame is answered {@code dropped} and its stream
   * goes on.
   */
  public static boolean busy(Throwable failure) {
    Throwable cause = unwrap(failure);
    for (int depth = 0; cause != null && depth < 4; depth++) {
      if (cause instanceof ModelBusyException) {
        return true;
      }
      if (!(cause instanceof PipelineFailure || cause instanceof FrameFailedException)) {
        return false;
      }
      cause = unwrap(cause.getCause());
    }
    return false;
  }
}
