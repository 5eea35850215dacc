package io.framewire.video;

/**
 * An input could not be opened or decoded. The message is one line for people (what failed, for which
 * input, FFmpeg's reason), safe to print or send to a client: no class names, and a URL's credentials
 * are masked.
 */
public class VideoInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VideoInputException(String message) {
    super(message, null, true, false);
  }

  public VideoInputException(String message, Throwable cause) {
    super(message, cause, true, false);
  }
}
