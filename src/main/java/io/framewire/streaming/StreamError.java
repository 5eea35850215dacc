package io.framewire.streaming;

/**
 * The one error shape of the streaming protocol, sent to the client as {@code {"error","detail"}}
 * before the server closes the session. {@code detail} is a short sentence for people; it never
 * holds a stack trace or an exception class name.
 */
public record StreamError(StreamError.Code code, String detail) implements Answer, Inbound {

  /** Every error code of the protocol (docs/protocol.md), with the string sent on the wire. */
  public enum Code {
    INVALID_PIPELINE("invalid_pipeline"),
    TOO_MANY_SESSIONS("too_many_sessions"),
    INVALID_MESSAGE("invalid_message"),
    INVALID_FRAME("invalid_frame"),
    FRAME_TOO_LARGE("frame_too_large"),
    PIPELINE_FAILURE("pipeline_failure"),
    INTERNAL_ERROR("internal_error"),
    /** Refused before the upgrade (HTTP 403): the browser origin is not allowed. */
    FORBIDDEN_ORIGIN("forbidden_origin"),
    /** Refused before the upgrade (HTTP 401): the auth token is missing or wrong. */
    UNAUTHORIZED("unauthorized"),
    /** The client stopped reading answers for longer than the stall timeout; it is disconnected (it would not read a message). */
    CLIENT_STALLED("client_stalled"),
    /** No message from the client for longer than the idle timeout. */
    IDLE_TIMEOUT("idle_timeout"),
    /** The server is stopping: in-flight frames were answered, the session closes. */
    SERVER_SHUTTING_DOWN("server_shutting_down"),
    /** A watcher of /ws/sources/{id} named no live source. */
    SOURCE_NOT_FOUND("source_not_found"),
    /** The live source a watcher follows was deleted, or the server is stopping. */
    SOURCE_STOPPED("source_stopped");

    private final String wire;

    Code(String wire) {
      this.wire = wire;
    }

    /** The code as clients see it in {@code {"error": …}}, and as the {@code error} metric label. */
    public String wire() {
      return wire;
    }

    @Override
    public String toString() {
      return wire;
    }
  }


  public StreamError {
    java.util.Objects.requireNonNull(code, "code");
  }

  /**
   * The one "take while not an error" operator of the session's stream: passes elements up to and
   * including the first {@code StreamError} (so the error is still answered), then completes and
   * cancels upstream.
   */
  public static <T> org.apache.pekko.stream.javadsl.Flow<T, T, org.apache.pekko.NotUsed> upToFirstError() {
    return org.apache.pekko.stream.javadsl.Flow.<T>create().takeWhile(e -> !(e instanceof StreamError), true);
  }

  public static StreamError invalidPipeline(String detail) {
    return new StreamError(Code.INVALID_PIPELINE, detail);
  }

  /** {@code invalid_pipeline} for an id that names no pipeline (at admission, or deleted before its session opened). */
  public static StreamError unknownPipeline(String pipelineId) {
    return invalidPipeline("unknown pipeline_id '" + pipelineId + "'; GET /pipelines lists the available ones");
  }

  public static StreamError tooManySessions(int limit) {
    return new StreamError(Code.TOO_MANY_SESSIONS, "the server already has " + limit + " open sessions; try again later");
  }

  public static StreamError invalidMessage(String detail) {
    return new StreamError(Code.INVALID_MESSAGE, detail);
  }

  public static StreamError invalidFrame(long frameIndex, String detail) {
    return new StreamError(Code.INVALID_FRAME, "frame " + frameIndex + ": " + detail);
  }

  public static StreamError frameTooLarge(String detail) {
    return new StreamError(Code.FRAME_TOO_LARGE, detail);
  }

  public static StreamError pipelineFailure(String detail) {
    return new StreamError(Code.PIPELINE_FAILURE, detail);
  }

  public static StreamError clientStalled(java.time.Duration stallTimeout) {
    return new StreamError(Code.CLIENT_STALLED,
        "the client read no answer for " + stallTimeout.toMillis() + " ms (STREAM_STALL_TIMEOUT_MS); disconnected");
  }

  public static StreamError idleTimeout(java.time.Duration idleTimeout) {
    return new StreamError(Code.IDLE_TIMEOUT,
        "no frame from the client for " + idleTimeout.toMillis() + " ms (STREAM_IDLE_TIMEOUT_MS); session closed");
  }

  public static StreamError serverShuttingDown() {
    return new StreamError(Code.SERVER_SHUTTING_DOWN,
        "the server is shutting down; frames in flight were answered; reconnect to another instance or later");
  }

  public static StreamError internalError() {
    return new StreamError(Code.INTERNAL_ERROR, "the server hit an unexpected error and closed the session");
  }
}
