package io.framewire.inference;

/**
 * A model's queue was full when a frame came: the model is overloaded, the frame is not run. Not a
 * failure of the frame or its session: the stream answers the frame {@code dropped}, counts it in
 * the drop rate that drives {@code slow_down}, and goes on ({@code io.framewire.engine.Failures#busy}).
 */
public final class ModelBusyException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ModelBusyException(String message) {
    // No stack trace: this is overload, expected and possibly frequent, not a bug to trace.
    super(message, null, true, false);
  }
}
