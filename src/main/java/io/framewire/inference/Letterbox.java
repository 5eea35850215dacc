package io.framewire.inference;

import io.framewire.api.image.ColourImage;

/**
 * Detector preprocessing exactly as Ultralytics does it: scale the frame's RGB to fit the model's
 * input keeping its aspect ratio (bilinear, as cv2.INTER_LINEAR), centre it on grey 114 padding, and
 * lay it out CHW as floats 0..1. Keeps what it takes to map boxes back to the source frame.
 *
 * @param scale source pixels × scale = input pixels
 * @param padLeft left padding in input pixels
 * @param padTop top padding in input pixels
 */
public record Letterbox(double scale, int padLeft, int padTop, int sourceWidth, int sourceHeight) {

  static final float PAD = 114f / 255f;

  /**
   * Writes {@code image} letterboxed into {@code chw} (every one of its {@code 3 * inputHeight *
   * inputWidth} floats) and returns the geometry.
   */
  public static Letterbox into(ColourImage image, int inputWidth, int inputHeight, float[] chw) {
    if (chw.length != 3 * inputWidth * inputHeight) {
      throw new IllegalArgumentException("chw has " + chw.length + " floats, not 3 x " + inputWidth + " x " + inputHeight);
    }
    int w = image.width();
    int h = image.height();
    double r = Math.min((double) inputHeight / h, (double) inputWidth / w);
    // Python's round() (half to even), as Ultralytics computes the unpadded size and padding.
    int newW = Math.max(1, (int) Math.rint(w * r));
    int newH = Math.max(1, (int) Math.rint(h * r));
    double dw = (inputWidth - newW) / 2.0;
    double dh = (inputHeight - newH) / 2.0;
    int top = (int) Math.rint(dh - 0.1);
    int left = (int) Math.rint(dw - 0.1);
    padAround(chw, inputWidth, inputHeight, left, top, newW, newH);
    Resize.bilinearInto(image, newW, newH, 0, 0, newW, newH, chw, inputWidth, inputHeight, left, top, null, null);
    return new Letterbox(r, left, top, w, h);
  }

  /** Fills with {@link #PAD} only what the image does not cover: the image's area is written anyway. */
  private static void padAround(float[] chw, int planeW, int planeH, int left, int top, int w, int h) {
    int plane = planeW * planeH;
    for (int c = 0; c < 3; c++) {
      int base = c * plane;
      java.util.Arrays.fill(chw, base, base + top * planeW, PAD);
      java.util.Arrays.fill(chw, base + (top + h) * planeW, base + plane, PAD);
      for (int y = top; y < top + h; y++) {
        int row = base + y * planeW;
        java.util.Arrays.fill(chw, row, row + left, PAD);
        java.util.Arrays.fill(chw, row + left + w, row + planeW, PAD);
      }
    }
  }

  /** Input x (model pixels) to source x, clipped to the frame. */
  public double toSourceX(double x) {
    return clamp((x - padLeft) / scale, sourceWidth);
  }

  public double toSourceY(double y) {
    return clamp((y - padTop) / scale, sourceHeight);
  }

  private static double clamp(double v, int max) {
    return Math.max(0, Math.min(max, v));
  }
}
