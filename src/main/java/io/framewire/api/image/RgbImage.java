package io.framewire.api.image;

/**
 * An 8-bit RGB image, row-major and interleaved ({@code rgb[3 * (y * width + x) + c]}, c = 0 red,
 * 1 green, 2 blue; unsigned). Treat the array as read-only: it is shared by every node (and thread)
 * that sees the frame.
 */
public record RgbImage(int width, int height, byte[] rgb) implements ColourImage {

  public RgbImage {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    if (rgb == null || rgb.length != 3L * width * height) {
      throw new IllegalArgumentException("rgb must hold 3*width*height = " + 3L * width * height + " bytes");
    }
  }

  /** Channel {@code c} (0 red, 1 green, 2 blue) at ({@code x}, {@code y}), 0..255. */
  public int at(int x, int y, int c) {
    return rgb[3 * (y * width + x) + c] & 0xFF;
  }

  /** Luma with the BT.601 weights JPEG uses for Y, rounded (integer arithmetic). */
  public GrayImage toGray() {
    byte[] luma = new byte[width * height];
    for (int i = 0, p = 0; i < luma.length; i++, p += 3) {
      int r = rgb[p] & 0xFF;
      int g = rgb[p + 1] & 0xFF;
      int b = rgb[p + 2] & 0xFF;
      luma[i] = (byte) ((19595 * r + 38470 * g + 7471 * b + 32768) >> 16);
    }
    return new GrayImage(width, height, luma);
  }
}
