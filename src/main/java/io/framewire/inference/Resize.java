package io.framewire.inference;

import io.framewire.api.image.ColourImage;
import io.framewire.api.image.RgbImage;
import io.framewire.api.image.Yuv420Image;

/**
 * Bilinear resampling of a colour image straight into a CHW float tensor. An RGB image is read in
 * place. A YUV 4:2:0 video frame is resampled in YUV (luma, and chroma as {@link Yuv420Image#toRgb}
 * assigns it: one sample per 2×2 luma pixels) and only the output's pixels are converted to RGB:
 * a 720p frame letterboxed to 640 converts a quarter of its pixels and writes no RGB copy. Linear
 * steps commute, so this differs from converting first only by that conversion's rounding to whole
 * levels (at most half a level) and where a neighbour was clipped to 0 or 255.
 */
final class Resize {

  private Resize() {}

  /**
   * Resizes {@code image} to {@code scaledW × scaledH} (bilinear, pixel centres aligned as OpenCV's
   * INTER_LINEAR and torchvision's bilinear do), takes the window {@code [cropX, cropX+outW) ×
   * [cropY, cropY+outH)} of that, and writes it into {@code chw} (planes of {@code planeW × planeH})
   * at ({@code offX}, {@code offY}) as {@code (v/255 - mean[c]) / std[c]} (mean 0, std 1 when null).
   */
  static void bilinearInto(ColourImage image, int scaledW, int scaledH, int cropX, int cropY, int outW, int outH,
      float[] chw, int planeW, int planeH, int offX, int offY, float[] mean, float[] std) {
    if (image instanceof Yuv420Image yuv) {
      yuvInto(yuv, scaledW, scaledH, cropX, cropY, outW, outH, chw, planeW, planeH, offX, offY, mean, std);
      return;
    }
    RgbImage rgbImage = (RgbImage) image;
    int w = rgbImage.width();
    int h = rgbImage.height();
    byte[] rgb = rgbImage.rgb();
    if (w == 2 * scaledW && h == 2 * scaledH) {
      rgbHalvedInto(rgbImage, cropX, cropY, outW, outH, chw, planeW, planeH, offX, offY, mean, std);
      return;
    }
    Axis columns = Axis.of(w, scaledW, cropX, outW);
    Axis rowsOf = Axis.of(h, scaledH, cropY, outH);
    int[] x0 = columns.lower();
    int[] x1 = columns.upper();
    float[] fx = columns.weight();
    for (int x = 0; x < outW; x++) {
      x0[x] *= 3; // byte offsets of interleaved pixels
      x1[x] *= 3;
    }
    float[] scale = scales(std);
    float[] bias = biases(mean, std);
    int plane = planeW * planeH;
    float s0 = scale[0], s1 = scale[1], s2 = scale[2];
    float b0 = bias[0], b1 = bias[1], b2 = bias[2];
    // Separable: each source row is interpolated horizontally once (into a planar row of the three
    // channels, kept while the next output row needs it too), then output rows are a plain blend
    // of two such rows, a loop the JIT vectorizes. The float operations and their order are those
    // of the blend of four pixels, so the values are the same.
    float[][] rows = {new float[3 * outW], new float[3 * outW]};
    int[] rowOf = {-1, -1};
    for (int y = 0; y < outH; y++) {
      int j0 = rowsOf.lower()[y];
      int j1 = rowsOf.upper()[y];
      float fy = rowsOf.weight()[y];
      float gy = 1 - fy;
      float[] top = row(rows, rowOf, j0, j1, rgb, w, x0, x1, fx, outW);
      float[] bottom = row(rows, rowOf, j1, j0, rgb, w, x0, x1, fx, outW);
      int out = (y + offY) * planeW + offX;
      for (int x = 0; x < outW; x++) {
        chw[out + x] = (top[x] * gy + bottom[x] * fy) * s0 + b0;
      }
      out += plane;
      for (int x = 0, i = outW; x < outW; x++, i++) {
        chw[out + x] = (top[i] * gy + bottom[i] * fy) * s1 + b1;
      }
      out += plane;
      for (int x = 0, i = 2 * outW; x < outW; x++, i++) {
        chw[out + x] = (top[i] * gy + bottom[i] * fy) * s2 + b2;
      }
    }
  }

  /**
   * {@link #bilinearInto} for an RGB image exactly twice the scaled size (a 1280×720 JPEG letterboxed
   * to 640): each output pixel is the mean of its 2×2 block, read in place without the neighbour
   * tables. The same floats as the general path, bit for bit: its weights are all ½ there, and those
   * sums of halves of whole levels are exact in float.
   */
  private static void rgbHalvedInto(RgbImage image, int cropX, int cropY, int outW, int outH,
      float[] chw, int planeW, int planeH, int offX, int offY, float[] mean, float[] std) {
    int stride = 3 * image.width();
    byte[] rgb = image.rgb();
    float[] scale = scales(std);
    float[] bias = biases(mean, std);
    float s0 = scale[0], s1 = scale[1], s2 = scale[2];
    float b0 = bias[0], b1 = bias[1], b2 = bias[2];
    int plane = planeW * planeH;
    // Per output row: the two source rows summed level by level (a loop the JIT vectorizes), then
    // each output pixel adds its two columns' sums per channel.
    int[] rows = new int[6 * outW];
    for (int y = 0; y < outH; y++) {
      int top = 2 * (y + cropY) * stride + 6 * cropX;
      int bottom = top + stride;
      for (int i = 0; i < rows.length; i++) {
        rows[i] = (rgb[top + i] & 0xFF) + (rgb[bottom + i] & 0xFF);
      }
      int out = (y + offY) * planeW + offX;
      for (int x = 0, p = 0; x < outW; x++, p += 6) {
        chw[out + x] = (rows[p] + rows[p + 3]) * 0.25f * s0 + b0;
        chw[plane + out + x] = (rows[p + 1] + rows[p + 4]) * 0.25f * s1 + b1;
        chw[2 * plane + out + x] = (rows[p + 2] + rows[p + 5]) * 0.25f * s2 + b2;
      }
    }
  }

  /**
   * Source row {@code j} interpolated horizontally (planar: all R, all G, all B), from the two
   * slots if there, else computed into the slot that does not hold {@code keep}, the other row the
   * caller needs now.
   */
  private static float[] row(float[][] rows, int[] rowOf, int j, int keep, byte[] rgb, int w,
      int[] x0, int[] x1, float[] fx, int outW) {
    if (rowOf[0] == j) {
      return rows[0];
    }
    if (rowOf[1] == j) {
      return rows[1];
    }
    int slot = rowOf[0] == keep && keep != j ? 1 : 0;
    float[] dest = rows[slot];
    rowOf[slot] = j;
    int row = j * w * 3;
    for (int x = 0; x < outW; x++) {
      float ax = fx[x];
      float bx = 1 - ax;
      int p0 = row + x0[x];
      int p1 = row + x1[x];
      dest[x] = (rgb[p0] & 0xFF) * bx + (rgb[p1] & 0xFF) * ax;
      dest[outW + x] = (rgb[p0 + 1] & 0xFF) * bx + (rgb[p1 + 1] & 0xFF) * ax;
      dest[2 * outW + x] = (rgb[p0 + 2] & 0xFF) * bx + (rgb[p1 + 2] & 0xFF) * ax;
    }
    return dest;
  }

  /**
   * {@link #bilinearInto} for a YUV 4:2:0 frame: per output pixel, luma and both chroma values
   * interpolated with the RGB path's weights (a luma pixel's chroma is its 2×2 block's sample), then
   * converted with {@link Yuv420Image#toRgb}'s BT.601 coefficients, clipped to 0..255 and normalized.
   * Separable like the RGB path: per output row, its two luma rows and their chroma rows are
   * interpolated horizontally into reused rows, then blended vertically.
   */
  private static void yuvInto(Yuv420Image image, int scaledW, int scaledH, int cropX, int cropY, int outW, int outH,
      float[] chw, int planeW, int planeH, int offX, int offY, float[] mean, float[] std) {
    if (image.width() == 2 * scaledW && image.height() == 2 * scaledH) {
      yuvHalvedInto(image, cropX, cropY, outW, outH, chw, planeW, planeH, offX, offY, mean, std);
    } else {
      yuvIntoAnyScale(image, scaledW, scaledH, cropX, cropY, outW, outH, chw, planeW, planeH, offX, offY, mean, std);
    }
  }

  /**
   * {@link #yuvInto} where the frame is exactly twice the scaled size (720p letterboxed to 640, 1080p
   * to 960): each output pixel's neighbours are its 2×2 luma block at weights ½ and one chroma sample
   * at weight 1, so it is their mean and that sample, read in place without the neighbour tables.
   * The same values as {@link #yuvIntoAnyScale}, bit for bit (those sums of halves are exact in float).
   */
  private static void yuvHalvedInto(Yuv420Image image, int cropX, int cropY, int outW, int outH,
      float[] chw, int planeW, int planeH, int offX, int offY, float[] mean, float[] std) {
    int w = image.width();
    int cw = image.chromaWidth();
    Conversion k = new Conversion(image.fullRange());
    float[] scale = scales(std);
    float[] bias = biases(mean, std);
    float s0 = scale[0], s1 = scale[1], s2 = scale[2];
    float b0 = bias[0], b1 = bias[1], b2 = bias[2];
    byte[] yPlane = image.y();
    byte[] uPlane = image.u();
    byte[] vPlane = image.v();
    int plane = planeW * planeH;
    int[] rows = new int[2 * outW]; // the two luma rows summed, as in rgbHalvedInto
    for (int y = 0; y < outH; y++) {
      int top = 2 * (y + cropY) * w + 2 * cropX;
      int bottom = top + w;
      for (int i = 0; i < rows.length; i++) {
        rows[i] = (yPlane[top + i] & 0xFF) + (yPlane[bottom + i] & 0xFF);
      }
      int chroma = (y + cropY) * cw + cropX;
      int out = (y + offY) * planeW + offX;
      for (int x = 0; x < outW; x++) {
        float sum = rows[2 * x] + rows[2 * x + 1];
        float luma = k.ys * (sum * 0.25f - k.yo);
        float u = (uPlane[chroma + x] & 0xFF) - 128;
        float v = (vPlane[chroma + x] & 0xFF) - 128;
        chw[out + x] = clip(luma + k.rv * v) * s0 + b0;
        chw[plane + out + x] = clip(luma - k.gu * u - k.gv * v) * s1 + b1;
        chw[2 * plane + out + x] = clip(luma + k.bu * u) * s2 + b2;
      }
    }
  }

  /** {@link #yuvInto} at any scale. */
  static void yuvIntoAnyScale(Yuv420Image image, int scaledW, int scaledH, int cropX, int cropY, int outW, int outH,
      float[] chw, int planeW, int planeH, int offX, int offY, float[] mean, float[] std) {
    int w = image.width();
    int h = image.height();
    int cw = image.chromaWidth();
    Axis columns = Axis.of(w, scaledW, cropX, outW);
    Axis rowsOf = Axis.of(h, scaledH, cropY, outH);
    int[] x0 = columns.lower();
    int[] x1 = columns.upper();
    float[] fx = columns.weight();
    int[] c0 = new int[outW];
    int[] c1 = new int[outW];
    for (int x = 0; x < outW; x++) {
      c0[x] = x0[x] >> 1; // a luma column's chroma sample
      c1[x] = x1[x] >> 1;
    }
    Conversion k = new Conversion(image.fullRange());
    float ys = k.ys, yo = k.yo, rv = k.rv, gu = k.gu, gv = k.gv, bu = k.bu;
    float[] scale = scales(std);
    float[] bias = biases(mean, std);
    byte[] yPlane = image.y();
    byte[] uPlane = image.u();
    byte[] vPlane = image.v();
    float[] yTop = new float[outW];
    float[] yBottom = new float[outW];
    float[] uTop = new float[outW];
    float[] uBottom = new float[outW];
    float[] vTop = new float[outW];
    float[] vBottom = new float[outW];
    int plane = planeW * planeH;
    for (int y = 0; y < outH; y++) {
      int j0 = rowsOf.lower()[y];
      int j1 = rowsOf.upper()[y];
      float fy = rowsOf.weight()[y];
      float gy = 1 - fy;
      horizontal(yPlane, j0 * w, x0, x1, fx, yTop, outW);
      horizontal(yPlane, j1 * w, x0, x1, fx, yBottom, outW);
      horizontal(uPlane, (j0 >> 1) * cw, c0, c1, fx, uTop, outW);
      horizontal(vPlane, (j0 >> 1) * cw, c0, c1, fx, vTop, outW);
      boolean sameChroma = (j0 >> 1) == (j1 >> 1); // both luma rows in one chroma row: no second pass
      if (!sameChroma) {
        horizontal(uPlane, (j1 >> 1) * cw, c0, c1, fx, uBottom, outW);
        horizontal(vPlane, (j1 >> 1) * cw, c0, c1, fx, vBottom, outW);
      }
      float[] uLow = sameChroma ? uTop : uBottom;
      float[] vLow = sameChroma ? vTop : vBottom;
      // Vertical blend in place, then one plain loop per output plane.
      for (int x = 0; x < outW; x++) {
        yTop[x] = ys * ((yTop[x] * gy + yBottom[x] * fy) - yo);
        uTop[x] = (uTop[x] * gy + uLow[x] * fy) - 128;
        vTop[x] = (vTop[x] * gy + vLow[x] * fy) - 128;
      }
      int out = (y + offY) * planeW + offX;
      float s0 = scale[0], s1 = scale[1], s2 = scale[2];
      float b0 = bias[0], b1 = bias[1], b2 = bias[2];
      for (int x = 0; x < outW; x++) {
        chw[out + x] = clip(yTop[x] + rv * vTop[x]) * s0 + b0;
      }
      out += plane;
      for (int x = 0; x < outW; x++) {
        chw[out + x] = clip(yTop[x] - gu * uTop[x] - gv * vTop[x]) * s1 + b1;
      }
      out += plane;
      for (int x = 0; x < outW; x++) {
        chw[out + x] = clip(yTop[x] + bu * uTop[x]) * s2 + b2;
      }
    }
  }

  /** YUV → RGB in 1/256 steps as {@link Yuv420Image#toRgb}'s integers: R = (ys·(Y − yo) + rv·(V − 128)) / 256, … */
  private record Conversion(float ys, float yo, float rv, float gu, float gv, float bu) {
    Conversion(boolean full) {
      this((full ? 256 : 298) / 256f, full ? 0 : 16, (full ? 359 : 409) / 256f, (full ? 88 : 100) / 256f,
          (full ? 183 : 208) / 256f, (full ? 454 : 516) / 256f);
    }
  }

  /**
   * Along one axis (columns or rows): for each output position of a {@code size}-long source scaled
   * to {@code scaled} and cropped at {@code crop} (pixel centres aligned), the lower and upper source
   * neighbours and the weight of the upper one.
   */
  private record Axis(int[] lower, int[] upper, float[] weight) {

    static Axis of(int size, int scaled, int crop, int out) {
      Axis axis = new Axis(new int[out], new int[out], new float[out]);
      double step = (double) size / scaled;
      for (int i = 0; i < out; i++) {
        double src = (i + crop + 0.5) * step - 0.5;
        if (src < 0) {
          src = 0;
        }
        int i0 = Math.min((int) src, size - 1);
        axis.lower[i] = i0;
        axis.upper[i] = Math.min(i0 + 1, size - 1);
        axis.weight[i] = (float) (src - i0);
      }
      return axis;
    }
  }

  /** Per channel, what a 0..255 level is multiplied by: {@code 1 / (255 · std)}. */
  private static float[] scales(float[] std) {
    float[] scale = new float[3];
    for (int c = 0; c < 3; c++) {
      scale[c] = 1f / (255f * (std == null ? 1f : std[c]));
    }
    return scale;
  }

  /** Per channel, what is added after scaling: {@code −mean / std}. */
  private static float[] biases(float[] mean, float[] std) {
    float[] bias = new float[3];
    for (int c = 0; c < 3; c++) {
      bias[c] = mean == null ? 0f : -mean[c] / (std == null ? 1f : std[c]);
    }
    return bias;
  }

  /** A level clipped to 0..255. */
  private static float clip(float level) {
    return level < 0f ? 0f : level > 255f ? 255f : level;
  }

  /** One plane row interpolated horizontally at the output's columns. */
  private static void horizontal(byte[] plane, int row, int[] x0, int[] x1, float[] fx, float[] dest, int outW) {
    for (int x = 0; x < outW; x++) {
      float ax = fx[x];
      dest[x] = (plane[row + x0[x]] & 0xFF) * (1 - ax) + (plane[row + x1[x]] & 0xFF) * ax;
    }
  }

  /**
   * Classifier preprocessing: scale so the image covers {@code outW × outH} (its shorter side to the
   * input size), centre-crop, CHW floats normalized with {@code mean}/{@code std} (null: 0..1), into
   * {@code chw} ({@code 3 * outW * outH} floats, all written).
   */
  static void resizeCenterCropInto(ColourImage image, int outW, int outH, float[] mean, float[] std, float[] chw) {
    double r = Math.max((double) outW / image.width(), (double) outH / image.height());
    int scaledW = Math.max(outW, (int) Math.round(image.width() * r));
    int scaledH = Math.max(outH, (int) Math.round(image.height() * r));
    int cropX = (int) Math.round((scaledW - outW) / 2.0);
    int cropY = (int) Math.round((scaledH - outH) / 2.0);
    bilinearInto(image, scaledW, scaledH, cropX, cropY, outW, outH, chw, outW, outH, 0, 0, mean, std);
  }
}
