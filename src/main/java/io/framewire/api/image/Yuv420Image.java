package io.framewire.api.image;

/**
 * An 8-bit planar YUV 4:2:0 image, as video decoders produce it (FFmpeg's {@code yuv420p} and
 * {@code yuvj420p}): a full-size luma plane and two chroma planes of half the width and height
 * (rounded up), each row-major without padding. Treat the arrays as read-only: they are shared.
 *
 * <p>Colours follow BT.601, what FFmpeg's swscale uses for YUV → RGB unless told otherwise: in
 * limited ("TV") range, luma 16..235 and chroma 16..240, unless {@code fullRange} (JPEG range, 0..255).
 *
 * @param y luma, {@code width * height} bytes
 * @param u Cb, {@code chromaWidth() * chromaHeight()} bytes
 * @param v Cr, as {@code u}
 */
public record Yuv420Image(int width, int height, byte[] y, byte[] u, byte[] v, boolean fullRange)
    implements ColourImage {

  /** Offset of {@link #CLAMP}: the conversion's intermediate values lie in −512..767. */
  private static final int CLAMP_OFFSET = 512;
  /** value + CLAMP_OFFSET → value clamped to 0..255, as a byte: no branches in the pixel loop. */
  private static final byte[] CLAMP = new byte[1280];

  /** Limited-range luma to full-range gray: (Y − 16) · 255 / 219, rounded and clamped. */
  private static final byte[] EXPAND = new byte[256];

  static {
    for (int i = 0; i < CLAMP.length; i++) {
      CLAMP[i] = (byte) clamp(i - CLAMP_OFFSET);
    }
    for (int i = 0; i < 256; i++) {
      EXPAND[i] = (byte) clamp(Math.round((i - 16) * 255f / 219f));
    }
  }

  public Yuv420Image {
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
    }
    int chroma = ((width + 1) / 2) * ((height + 1) / 2);
    if (y == null || y.length != width * height) {
      throw new IllegalArgumentException("y must hold width*height = " + width * height + " bytes");
    }
    if (u == null || u.length != chroma || v == null || v.length != chroma) {
      throw new IllegalArgumentException("u and v must hold " + chroma + " bytes each");
    }
  }

  /** The chroma planes' width: half the image's, rounded up. */
  public int chromaWidth() {
    return (width + 1) / 2;
  }

  /** The chroma planes' height: half the image's, rounded up. */
  public int chromaHeight() {
    return (height + 1) / 2;
  }

  /**
   * The luma as full-range gray: the Y plane itself when full range (no copy), else expanded from
   * 16..235 to 0..255 (what {@code toRgb().toGray()} gives for gray pixels, without the colour).
   */
  public GrayImage toGray() {
    if (fullRange) {
      return new GrayImage(width, height, y);
    }
    byte[] gray = new byte[y.length];
    for (int i = 0; i < gray.length; i++) {
      gray[i] = EXPAND[y[i] & 0xFF];
    }
    return new GrayImage(width, height, gray);
  }

  /** Converts to interleaved RGB (BT.601, integer arithmetic in 1/256 steps, as swscale's C path). */
  public RgbImage toRgb() {
    byte[] rgb = new byte[3 * width * height];
    int cw = chromaWidth();
    // Limited range: scale Y by 255/219 and chroma by 255/224; full range: no scaling.
    int yScale = fullRange ? 256 : 298;
    int yOffset = fullRange ? 0 : 16;
    int rv = fullRange ? 359 : 409;
    int gu = fullRange ? 88 : 100;
    int gv = fullRange ? 183 : 208;
    int bu = fullRange ? 454 : 516;
    int[] luma = new int[256]; // Y's share of every channel, with the rounding and the clamp table's offset
    for (int i = 0; i < 256; i++) {
      luma[i] = yScale * (i - yOffset) + 128 + (CLAMP_OFFSET << 8);
    }
    int pairs = width / 2;
    for (int row = 0; row < height; row++) {
      int yi = row * width;
      int ci = (row >> 1) * cw;
      int out = 3 * yi;
      // Two luma samples share one chroma sample: its three contributions are computed once.
      for (int p = 0; p < pairs; p++, yi += 2, out += 6) {
        int d = (u[ci + p] & 0xFF) - 128;
        int e = (v[ci + p] & 0xFF) - 128;
        int r = rv * e;
        int g = -gu * d - gv * e;
        int b = bu * d;
        int c0 = luma[y[yi] & 0xFF];
        int c1 = luma[y[yi + 1] & 0xFF];
        rgb[out] = CLAMP[(c0 + r) >> 8];
        rgb[out + 1] = CLAMP[(c0 + g) >> 8];
        rgb[out + 2] = CLAMP[(c0 + b) >> 8];
        rgb[out + 3] = CLAMP[(c1 + r) >> 8];
        rgb[out + 4] = CLAMP[(c1 + g) >> 8];
        rgb[out + 5] = CLAMP[(c1 + b) >> 8];
      }
      if ((width & 1) != 0) { // the odd last column has a chroma sample of its own
        int d = (u[ci + pairs] & 0xFF) - 128;
        int e = (v[ci + pairs] & 0xFF) - 128;
        int c = luma[y[yi] & 0xFF];
        rgb[out] = CLAMP[(c + rv * e) >> 8];
        rgb[out + 1] = CLAMP[(c - gu * d - gv * e) >> 8];
        rgb[out + 2] = CLAMP[(c + bu * d) >> 8];
      }
    }
    return new RgbImage(width, height, rgb);
  }

  private static int clamp(int value) {
    return value < 0 ? 0 : Math.min(value, 255);
  }
}
