package io.framewire.inference;

import io.framewire.api.image.RgbImage;

/** Bilinear resampling of an RGB image straight into a CHW float tensor. */
final class Resize {

  private Resize() {}

  /**
   * Resizes {@code image} to {@code scaledW × scaledH} (bilinear, pixel centres aligned as OpenCV's
   * INTER_LINEAR and torchvision's bilinear do), takes the window {@code [cropX, cropX+outW) ×
   * [cropY, cropY+outH)} of that, and writes it into {@code chw} (planes of {@code planeW × planeH})
   * at ({@code offX}, {@code offY}) as {@code (v/255 - mean[c]) / std[c]} (mean 0, std 1 when null).
   */
  static void bilinearInto(RgbImage image, int scaledW, int scaledH, int cropX, int cropY, int outW, int outH,
      float[] chw, int planeW, int planeH, int offX, int offY, float[] mean, float[] std) {
    int w = image.width();
    int h = image.height();
    byte[] rgb = image.rgb();
    double sx = (double) w / scaledW;
    double sy = (double) h / scaledH;
    int[] x0 = new int[outW];
    int[] x1 = new int[outW];
    float[] fx = new float[outW];
    for (int x = 0; x < outW; x++) {
      double src = (x + cropX + 0.5) * sx - 0.5;
      if (src < 0) {
        src = 0;
      }
      int i0 = Math.min((int) src, w - 1);
      x0[x] = i0 * 3;
      x1[x] = Math.min(i0 + 1, w - 1) * 3;
      fx[x] = (float) (src - i0);
    }
    float[] scale = new float[3];
    float[] bias = new float[3];
    for (int c = 0; c < 3; c++) {
      float s = std == null ? 1f : std[c];
      scale[c] = 1f / (255f * s);
      bias[c] = mean == null ? 0f : -mean[c] / s;
    }
    int plane = planeW * planeH;
    for (int y = 0; y < outH; y++) {
      double src = (y + cropY + 0.5) * sy - 0.5;
      if (src < 0) {
        src = 0;
      }
      int j0 = Math.min((int) src, h - 1);
      int j1 = Math.min(j0 + 1, h - 1);
      float fy = (float) (src - j0);
      int row0 = j0 * w * 3;
      int row1 = j1 * w * 3;
      int out = (y + offY) * planeW + offX;
      for (int x = 0; x < outW; x++, out++) {
        float ax = fx[x];
        for (int c = 0; c < 3; c++) {
          float top = (rgb[row0 + x0[x] + c] & 0xFF) * (1 - ax) + (rgb[row0 + x1[x] + c] & 0xFF) * ax;
          float bottom = (rgb[row1 + x0[x] + c] & 0xFF) * (1 - ax) + (rgb[row1 + x1[x] + c] & 0xFF) * ax;
          chw[c * plane + out] = (top * (1 - fy) + bottom * fy) * scale[c] + bias[c];
        }
      }
    }
  }

  /**
   * Classifier preprocessing: scale so the image covers {@code outW × outH} (its shorter side to the
   * input size), centre-crop, CHW floats normalized with {@code mean}/{@code std} (null: 0..1).
   */
  static float[] resizeCenterCrop(RgbImage image, int outW, int outH, float[] mean, float[] std) {
    double r = Math.max((double) outW / image.width(), (double) outH / image.height());
    int scaledW = Math.max(outW, (int) Math.round(image.width() * r));
    int scaledH = Math.max(outH, (int) Math.round(image.height() * r));
    int cropX = (int) Math.round((scaledW - outW) / 2.0);
    int cropY = (int) Math.round((scaledH - outH) / 2.0);
    float[] chw = new float[3 * outW * outH];
    bilinearInto(image, scaledW, scaledH, cropX, cropY, outW, outH, chw, outW, outH, 0, 0, mean, std);
    return chw;
  }
}
