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
  /** Refused before the upgrade (HTTP 403): the browser origin is not allowed. */
  public static final String FORBIDDEN_ORIGIN = "forbidden_origin";
  /** Refused before the upgrade (HTTP 401): the auth token is missing or wrong. */
  public static final String UNAUTHORIZED = "unauthorized";
  /** The client stopped reading answers for longer than the stall timeout; it is disconnected (it would not read a message). */
  public static final String CLIENT_STALLED = "client_stalled";
  /** No message from the client for longer than the idle timeout. */
  public static final String IDLE_TIMEOUT = "idle_timeout";
  /** The server is stopping: in-flight frames were answered, the session closes. */
  public static final String SERVER_SHUTTING_DOWN = "server_shutting_down";

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

  public static StreamError clientStalled(java.time.Duration stallTimeout) {
    return new StreamError(CLIENT_STALLED,
        "the client read no answer for " + stallTimeout.toMillis() + " ms (STREAM_STALL_TIMEOUT_MS); disconnected");
  }

  public static StreamError idleTimeout(java.time.Duration idleTimeout) {
    return new StreamError(IDLE_TIMEOUT,
        "no frame from the client for " + idleTimeout.toMillis() + " ms (STREAM_IDLE_TIMEOUT_MS); session closed");
  }

  public static StreamError serverShuttingDown() {
    return new StreamError(SERVER_SHUTTING_DOWN,
        "the server is shutting down; frames in flight were answered; reconnect to another instance or later");
  }

  public static StreamError internalError() {
    return new StreamError(INTERNAL_ERROR, "the server hit an unexpected error and closed the session");
  }

  /** Errors caused by the server side (the pipeline or framewire itself) rather than by the client's input. */
  public boolean isServerSide() {
    return PIPELINE_FAILURE.equals(code) || INTERNAL_ERROR.equals(code);
  }
}
