package io.framewire.pipeline;

/** The short, one-line description of an error that validation messages and failures carry. */
public final class ErrorDetail {

  /** The longest detail kept; longer ones are cut and end with "…". */
  public static final int MAX_CHARS = 200;

  private ErrorDetail() {}

  /** The exception's message (first line, at most {@link #MAX_CHARS}), or its class name if it has none. */
  public static String of(Throwable error) {
    String message = error.getMessage();
    if (message == null || message.isBlank()) {
      return error.getClass().getSimpleName();
    }
    return cut(message.strip().lines().findFirst().orElse("").strip());
  }

  /** The text, cut to {@link #MAX_CHARS} with a trailing "…" if it is longer. */
  public static String cut(String text) {
    return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "…";
  }
}
