package io.framewire.streaming;

import java.util.Optional;

/**
 * Checks a frame before anything runs on it: non-empty, within the byte limit, JPEG start (FF D8) and
 * end (FF D9) markers, and declared dimensions within the pixel limit. Cheap: reads only the header.
 */
public final class FrameValidator {

  private final int maxFrameBytes;
  private final long maxFramePixels;

  public FrameValidator(int maxFrameBytes, long maxFramePixels) {
    this.maxFrameBytes = maxFrameBytes;
    this.maxFramePixels = maxFramePixels;
  }

  public static FrameValidator of(StreamSettings settings) {
    return new FrameValidator(settings.maxFrameBytes(), settings.maxFramePixels());
  }

  /** The error that refuses this frame, or empty if the frame may run. */
  public Optional<StreamError> validate(long frameIndex, byte[] bytes) {
    int n = bytes.length;
    if (n == 0) {
      return Optional.of(StreamError.invalidFrame(frameIndex, "empty message"));
    }
    if (n > maxFrameBytes) {
      return Optional.of(tooLarge(n));
    }
    if (n < 4) {
      return Optional.of(StreamError.invalidFrame(frameIndex, "too short to be a JPEG (" + n + " bytes)"));
    }
    if ((bytes[0] & 0xFF) != 0xFF || (bytes[1] & 0xFF) != 0xD8) {
      return Optional.of(StreamError.invalidFrame(frameIndex, "not a JPEG (missing FF D8 start marker)"));
    }
    if ((bytes[n - 2] & 0xFF) != 0xFF || (bytes[n - 1] & 0xFF) != 0xD9) {
      return Optional.of(StreamError.invalidFrame(frameIndex, "truncated JPEG (missing FF D9 end marker)"));
    }
    JpegHeader.Dimensions dims;
    try {
      dims = JpegHeader.dimensions(bytes);
    } catch (JpegHeader.MalformedJpegException e) {
      return Optional.of(StreamError.invalidFrame(frameIndex, e.getMessage()));
    }
    if (dims.pixels() > maxFramePixels) {
      return Optional.of(StreamError.frameTooLarge(
          "frame " + frameIndex + " declares " + dims.width() + "x" + dims.height()
              + " pixels, more than the limit of " + maxFramePixels));
    }
    return Optional.empty();
  }

  /** The error for a complete message over the byte limit. */
  public StreamError tooLarge(long size) {
    return StreamError.frameTooLarge("frame of " + size + " bytes exceeds the limit of " + maxFrameBytes + " bytes");
  }

  /**
   * The error for a message that grew past the byte limit while it was read in parts. pekko-http
   * streams both a fragmented message and one large unfragmented frame, so the wording fits both.
   */
  public StreamError streamedTooLarge() {
    return StreamError.frameTooLarge("frame exceeds the limit of " + maxFrameBytes + " bytes; it was not read past the limit");
  }

  public int maxFrameBytes() {
    return maxFrameBytes;
  }
}
