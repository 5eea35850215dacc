package io.framewire.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Video files for Chromium's fake camera ({@code --use-file-for-fake-video-capture=FILE}), which plays
 * a Y4M file in a loop at its frame rate: raw YUV 4:2:0 frames behind a one-line header, written
 * here so that nothing is downloaded or encoded.
 */
final class FakeCamera {

  /** Luma of the background and of the moving square. */
  static final int BACKGROUND = 30;
  static final int SQUARE = 230;

  private FakeCamera() {}

  /**
   * A bright {@code side}×{@code side} square crossing the frame from left to right at mid height,
   * {@code step} pixels a frame from x = {@code step}, then {@code blank} frames without it (so the
   * tracker ends its track before the loop starts again on the left).
   *
   * @return the file, {@code dir/square-WxH.y4m}
   */
  static Path squareCrossing(Path dir, int width, int height, int fps, int side, int step, int blank) throws IOException {
    Path file = dir.resolve("square-" + width + "x" + height + ".y4m");
    int moving = (width - side - step) / step;
    byte[] luma = new byte[width * height];
    byte[] chroma = new byte[(width / 2) * (height / 2)];
    Arrays.fill(chroma, (byte) 128);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write("YUV4MPEG2 W%d H%d F%d:1 Ip A1:1 C420jpeg\n".formatted(width, height, fps).getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < moving + blank; i++) {
        Arrays.fill(luma, (byte) BACKGROUND);
        if (i < moving) {
          int x0 = step + i * step;
          int y0 = (height - side) / 2;
          for (int y = y0; y < y0 + side; y++) {
            Arrays.fill(luma, y * width + x0, y * width + x0 + side, (byte) SQUARE);
          }
        }
        out.write("FRAME\n".getBytes(StandardCharsets.US_ASCII));
        out.write(luma);
        out.write(chroma); // U
        out.write(chroma); // V
      }
    }
    return file;
  }
}
