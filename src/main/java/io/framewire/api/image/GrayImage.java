package io.framewire.api.image;

/**
 * An 8-bit luma image, row-major ({@code luma[y * width + x]}, unsigned): the gray view of a
 * {@link DecodedFrame}. Treat the array as read-only: it is
 * shared by every node (and thread) that sees the frame. Like any record over an array, equality is
 * identity of the array.
 */
public record GrayImage(int width, int height, byte[] luma) {

  public GrayImage {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    if (luma == null || luma.length != (long) width * height) {
      throw new IllegalArgumentException("luma must hold width*height = " + (long) width * height + " bytes");
    }
  }

  /** Luma at ({@code x}, {@code y}), 0..255. */
  public int at(int x, int y) {
    return luma[y * width + x] & 0xFF;
  }
}
