package io.framewire.mcp;

/**
 * A tool call that cannot be done as asked: answered as a tool result with {@code isError} (so the
 * agent reads why and can try again), never as a protocol error. {@code code} is the {@code error} of
 * framewire's {@code {"error","detail"}} shape.
 */
public final class ToolError extends RuntimeException {

  private final String code;

  public ToolError(String code, String detail) {
    super(detail, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** An argument that is missing or has a bad value. */
  public static ToolError invalid(String detail) {
    return new ToolError("invalid_argument", detail);
  }
}
