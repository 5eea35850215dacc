package io.framewire.pipeline;

/**
 * A tool failed while a pipeline ran. The message is short and safe to send to a client:
 * {@code node '<id>' failed: <message>}; the original exception is kept as the cause for logs.
 */
public class PipelineFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final int MAX_DETAIL_CHARS = 200;

  private final String nodeId;

  public PipelineFailure(String nodeId, Throwable cause) {
    // No stack trace of our own: the failure's origin is the cause, and failures can be frequent.
    super("node '" + nodeId + "' failed: " + shortDescription(cause), cause, true, false);
    this.nodeId = nodeId;
  }

  public String nodeId() {
    return nodeId;
  }

  /** The exception's message (first line, at most ~200 chars), or its class name if it has none. */
  static String shortDescription(Throwable error) {
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      return error.getClass().getSimpleName();
    }
    String firstLine = message.strip().lines().findFirst().orElse("").strip();
    return firstLine.length() <= MAX_DETAIL_CHARS
        ? firstLine
        : firstLine.substring(0, MAX_DETAIL_CHARS) + "…";
  }
}
