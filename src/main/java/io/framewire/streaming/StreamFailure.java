package io.framewire.streaming;

/**
 * A failure whose client answer is known: the {@link StreamError} is sent as it is. How a session's
 * opening reports what the client should hear (the pipeline is gone, the server is stopping), and how
 * a pipeline of a test says it exactly; the cause, if any, is for the log only. No stack trace of its own.
 */
public final class StreamFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient StreamError error;

  public StreamFailure(StreamError error, Throwable cause) {
    super(error.code().wire() + ": " + error.detail(), cause, true, false);
    this.error = error;
  }

  public StreamFailure(StreamError error) {
    this(error, null);
  }

  public StreamError error() {
    return error;
  }
}
