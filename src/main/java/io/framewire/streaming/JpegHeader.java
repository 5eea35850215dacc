package io.framewire.streaming;

/**
 * Reads a JPEG's declared dimensions from its frame header (SOFn) without decoding anything, so that
 * a few bytes declaring a 60000×60000 image are refused before any decoder allocates for them.
 */
final class JpegHeader {

  /** Width and height from the first SOFn marker. */
  record Dimensions(int width, int height) {
    long pixels() {
      return (long) width * height;
    }
  }

  static final class MalformedJpegException extends Exception {
    MalformedJpegException(String message) {
      super(message, null, false, false);
    }
  }

  private JpegHeader() {}

  /** Walks the marker segments after SOI until the frame header; fails on anything inconsistent. */
  static Dimensions dimensions(byte[] jpeg) throws MalformedJpegException {
    int i = 2; // after SOI
    while (i + 1 < jpeg.length) {
      if ((jpeg[i] & 0xFF) != 0xFF) {
        throw new MalformedJpegException("corrupt marker structure at byte " + i);
      }
      int marker = jpeg[i + 1] & 0xFF;
      if (marker == 0xFF) { // fill byte before a marker
        i++;
        continue;
      }
      i += 2;
      if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // standalone markers carry no length
      }
      if (marker == 0xD9 || marker == 0xDA) {
        throw new MalformedJpegException("no frame header before the image data");
      }
      if (i + 1 >= jpeg.length) {
        break;
      }
      int length = ((jpeg[i] & 0xFF) << 8) | (jpeg[i + 1] & 0xFF);
      if (length < 2 || i + length > jpeg.length) {
        throw new MalformedJpegException("truncated marker segment at byte " + (i - 2));
      }
      if (isStartOfFrame(marker)) {
        if (length < 7) {
          throw new MalformedJpegException("truncated frame header");
        }
        int height = ((jpeg[i + 3] & 0xFF) << 8) | (jpeg[i + 4] & 0xFF);
        int width = ((jpeg[i + 5] & 0xFF) << 8) | (jpeg[i + 6] & 0xFF);
        if (width == 0 || height == 0) {
          throw new MalformedJpegException("frame header declares an empty image");
        }
        return new Dimensions(width, height);
      }
      i += length;
    }
    throw new MalformedJpegException("no frame header");
  }

  /** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range. */
  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }
}
