package io.framewire.streaming;

/**
 * The one error shape of the streaming protocol, sent to the client as {@code {"error","detail"}}
 * before the server closes the session. {@code detail} is a short sentence for people; it never
 * holds a stack trace or an exception class name.
 */
public record StreamError(String code, String detail) implements Answer, Inbound {

  public static final String INVALID_PIPELINE = "invalid_pipeline";
  public static final String TOO_MANY_SESSIONS = "too_many_sessions";
  public static final String INVALID_MESSAGE = "invalid_message";
  public static final String INVALID_FRAME = "invalid_frame";
  public static final String FRAME_TOO_LARGE = "frame_too_large";
  public static final String PIPELINE_FAILURE = "pipeline_failure";
  public static final String INTERNAL_ERROR = "internal_error";

  public static StreamError invalidPipeline(String detail) {
    return new StreamError(INVALID_PIPELINE, detail);
  }

  public static StreamError tooManySessions(int limit) {
    return new StreamError(TOO_MANY_SESSIONS, "the server already has " + limit + " open sessions; try again later");
  }

  public static StreamError invalidMessage(String detail) {
    return new StreamError(INVALID_MESSAGE, detail);
  }

  public static StreamError invalidFrame(long frameIndex, String detail) {
    return new StreamError(INVALID_FRAME, "frame " + frameIndex + ": " + detail);
  }

  public static StreamError frameTooLarge(String detail) {
    return new StreamError(FRAME_TOO_LARGE, detail);
  }

  public static StreamError pipelineFailure(String detail) {
    return new StreamError(PIPELINE_FAILURE, detail);
  }

  public static StreamError internalError() {
    return new StreamError(INTERNAL_ERROR, "the server hit an unexpected error and closed the session");
  }

  /** Errors caused by the server side (the pipeline or framewire itself) rather than by the client's input. */
  public boolean isServerSide() {
    return PIPELINE_FAILURE.equals(code) || INTERNAL_ERROR.equals(code);
  }
}
