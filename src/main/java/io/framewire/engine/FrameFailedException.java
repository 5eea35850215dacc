package io.framewire.engine;

/**
 * The pipeline failed on one frame of a video run: {@code frame <i>: node '<id>' failed: <reason>}.
 * The message is one line, safe to print; the {@link PipelineFailure} is the cause.
 */
public class FrameFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long frameIndex;

  public FrameFailedException(long frameIndex, Throwable cause) {
    super("frame " + frameIndex + ": " + (cause.getMessage() == null ? "the pipeline failed" : cause.getMessage()),
        cause, true, false);
    this.frameIndex = frameIndex;
  }

  public long frameIndex() {
    return frameIndex;
  }
}
