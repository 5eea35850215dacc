package io.framewire.tools.motion;

import io.framewire.api.image.GrayImage;

/**
 * A frame box-averaged by an integer {@code factor} so its longer side is at most {@link #MAX_SIDE}:
 * motion needs shapes, not detail, and averaging also suppresses JPEG noise. Trailing pixels that do
 * not fill a whole block are dropped.
 */
record Downscaled(int width, int height, int factor, float[] pixels) {

  static final int MAX_SIDE = 320;

  static Downscaled of(GrayImage gray) {
    int factor = Math.max(1, (Math.max(gray.width(), gray.height()) + MAX_SIDE - 1) / MAX_SIDE);
    int width = Math.max(1, gray.width() / factor);
    int height = Math.max(1, gray.height() / factor);
    int blockW = Math.min(factor, gray.width());
    int blockH = Math.min(factor, gray.height());
    float[] pixels = new float[width * height];
    byte[] luma = gray.luma();
    float perBlock = blockW * blockH;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int sum = 0;
        for (int dy = 0; dy < blockH; dy++) {
          int row = (y * factor + dy) * gray.width() + x * factor;
          for (int dx = 0; dx < blockW; dx++) {
            sum += luma[row + dx] & 0xFF;
          }
        }
        pixels[y * width + x] = sum / perBlock;
      }
    }
    return new Downscaled(width, height, factor, pixels);
  }
}
