package io.framewire.engine;

import io.framewire.pipeline.ErrorDetail;
import java.util.regex.Pattern;

/**
 * A tool failed while a pipeline ran. The message is short and safe to send to a client:
 * {@code node '<id>' failed: <message>}; the original exception is kept as the cause for logs.
 */
public class PipelineFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String nodeId;

  public PipelineFailure(String nodeId, Throwable cause) {
    // No stack trace of our own: the failure's origin is the cause, and failures can be frequent.
    super("node '" + nodeId + "' failed: " + ErrorDetail.of(cause), cause, true, false);
    this.nodeId = nodeId;
  }

  public String nodeId() {
    return nodeId;
  }

  /** A leading "some.package.SomeException: " as a wrapping exception's message starts. */
  private static final Pattern CLASS_NAME_PREFIX =
      Pattern.compile("^(?:[a-zA-Z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error|Throwable)(?::\\s*|$)");

  /**
   * The failure's detail for a client: {@code node '<id>' failed: <message>}, without the exception
   * class names this failure's message may carry (its cause had no message, or wraps another
   * exception); those stay in the log.
   */
  public String clientDetail() {
    String message = getCause() == null ? null : getCause().getMessage();
    String stripped = message == null ? "" : message.strip().lines().findFirst().orElse("").strip();
    String previous;
    do {
      previous = stripped;
      stripped = CLASS_NAME_PREFIX.matcher(stripped).replaceFirst("").strip();
    } while (!stripped.equals(previous));
    String node = "node '" + nodeId + "' failed";
    if (stripped.isEmpty()) {
      return node;
    }
    return node + ": " + ErrorDetail.cut(stripped);
  }
}
