package io.framewire.api.image;

/** The frame is not a JPEG we will decode: corrupt, truncated, or too large. The message is short. */
public final class InvalidImageException extends IllegalArgumentException {

  public InvalidImageException(String message) {
    super(message);
  }

  public InvalidImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
