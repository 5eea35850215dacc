package io.framewire.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.framewire.api.image.RgbImage;
import io.framewire.api.image.Yuv420Image;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Resize#bilinearInto} and {@link Letterbox#into} give bit for bit what the straightforward
 * version gave (kept here as the reference: one channel at a time, the whole tensor filled with the
 * padding first), on frames scaled down, up and to odd sizes, with and without normalization.
 */
class ResizeEquivalenceTest {

  /** An input array as the model hands it out for reuse: holding an earlier frame (NaN here, so a value not written shows). */
  static float[] stale(int length) {
    float[] chw = new float[length];
    java.util.Arrays.fill(chw, Float.NaN);
    return chw;
  }

  static float[] letterboxed(io.framewire.api.image.ColourImage image, int w, int h) {
    float[] chw = stale(3 * w * h);
    Letterbox.into(image, w, h, chw);
    return chw;
  }

  static float[] centreCropped(io.framewire.api.image.ColourImage image, float[] mean, float[] std) {
    float[] chw = stale(3 * 224 * 224);
    Resize.resizeCenterCropInto(image, 224, 224, mean, std, chw);
    return chw;
  }

  static RgbImage random(int w, int h, long seed) {
    byte[] rgb = new byte[w * h * 3];
    new Random(seed).nextBytes(rgb);
    return new RgbImage(w, h, rgb);
  }

  @Test
  void letterbox_is_unchanged_bit_for_bit() {
    int[][] sizes = {{1280, 720}, {640, 424}, {1280, 853}, {33, 17}, {17, 33}, {640, 640}, {1, 1}, {100, 3}};
    long seed = 1;
    for (int[] size : sizes) {
      for (int[] input : new int[][] {{640, 640}, {320, 256}, {64, 64}}) {
        RgbImage image = random(size[0], size[1], seed++);
        float[] chw = stale(3 * input[0] * input[1]);
        Letterbox now = Letterbox.into(image, input[0], input[1], chw);
        float[] expected = new float[3 * input[0] * input[1]];
        java.util.Arrays.fill(expected, Letterbox.PAD);
        int newW = Math.max(1, (int) Math.rint(size[0] * now.scale()));
        int newH = Math.max(1, (int) Math.rint(size[1] * now.scale()));
        reference(image, newW, newH, 0, 0, newW, newH, expected, input[0], input[1], now.padLeft(), now.padTop(), null, null);
        assertArrayEquals(expected, chw, size[0] + "x" + size[1] + " -> " + input[0] + "x" + input[1]);
      }
    }
  }

  @Test
  void normalized_centre_crop_is_unchanged_bit_for_bit() {
    float[] mean = {0.485f, 0.456f, 0.406f};
    float[] std = {0.229f, 0.224f, 0.225f};
    RgbImage image = random(300, 200, 42);
    float[] now = centreCropped(image, mean, std);
    float[] expected = new float[3 * 224 * 224];
    double r = Math.max(224.0 / 300, 224.0 / 200);
    int scaledW = Math.max(224, (int) Math.round(300 * r));
    int scaledH = Math.max(224, (int) Math.round(200 * r));
    reference(image, scaledW, scaledH, (int) Math.round((scaledW - 224) / 2.0), (int) Math.round((scaledH - 224) / 2.0),
        224, 224, expected, 224, 224, 0, 0, mean, std);
    assertArrayEquals(expected, now);
  }

  /** Random planes; {@code inGamut}: values whose RGB needs no clipping (Y 55..190, chroma 108..148). */
  static Yuv420Image randomYuv(int w, int h, boolean fullRange, boolean inGamut, long seed) {
    Random random = new Random(seed);
    int chroma = ((w + 1) / 2) * ((h + 1) / 2);
    byte[] y = new byte[w * h];
    byte[] u = new byte[chroma];
    byte[] v = new byte[chroma];
    for (int i = 0; i < y.length; i++) {
      y[i] = (byte) (inGamut ? 55 + random.nextInt(136) : random.nextInt(256));
    }
    for (int i = 0; i < chroma; i++) {
      u[i] = (byte) (inGamut ? 108 + random.nextInt(41) : random.nextInt(256));
      v[i] = (byte) (inGamut ? 108 + random.nextInt(41) : random.nextInt(256));
    }
    return new Yuv420Image(w, h, y, u, v, fullRange);
  }

  /**
   * A video frame's YUV, resampled in YUV and converted at the output's pixels, gives what converting
   * the whole frame first gives, up to that conversion's rounding (half a level, 0.5 / 255 before
   * normalization) where no value needs clipping; with clipping (random planes) it stays in range.
   */
  @Test
  void yuv_resampled_then_converted_matches_converting_first() {
    int[][] sizes = {{1280, 720}, {33, 17}, {17, 33}, {1, 1}, {101, 3}, {640, 640}, {1920, 1080}};
    float[] mean = {0.485f, 0.456f, 0.406f};
    float[] std = {0.229f, 0.224f, 0.225f};
    long seed = 100;
    for (int[] size : sizes) {
      for (boolean fullRange : new boolean[] {false, true}) {
        String what = size[0] + "x" + size[1] + (fullRange ? " full range" : " limited range");
        Yuv420Image yuv = randomYuv(size[0], size[1], fullRange, true, seed++);
        RgbImage rgb = yuv.toRgb();
        for (int[] input : new int[][] {{640, 640}, {64, 48}}) {
          assertClose(letterboxed(rgb, input[0], input[1]), letterboxed(yuv, input[0], input[1]),
              0.5f / 255 + 1e-5f, what + " -> " + input[0] + "x" + input[1]);
        }
        assertClose(centreCropped(rgb, mean, std), centreCropped(yuv, mean, std),
            (0.5f / 255 + 1e-5f) / 0.224f, what + " centre crop");
        float[] clipped = letterboxed(randomYuv(size[0], size[1], fullRange, false, seed++), 64, 48);
        for (float value : clipped) {
          org.junit.jupiter.api.Assertions.assertTrue(value >= 0 && value <= 1, what + ": " + value);
        }
      }
    }
  }

  /** A frame twice the scaled size takes the halving path: the same floats as the path for any scale, bit for bit. */
  @Test
  void halving_gives_what_any_scale_gives_bit_for_bit() {
    float[] mean = {0.485f, 0.456f, 0.406f};
    float[] std = {0.229f, 0.224f, 0.225f};
    // {width, height, cropX, cropY, outW, outH, planeW, planeH, offX, offY}: 720p letterboxed to 640, and a crop
    int[][] cases = {{1280, 720, 0, 0, 640, 360, 640, 640, 0, 140}, {64, 48, 3, 2, 20, 16, 24, 20, 2, 1}};
    long seed = 7;
    for (int[] c : cases) {
      for (boolean fullRange : new boolean[] {false, true}) {
        for (boolean inGamut : new boolean[] {false, true}) {
          Yuv420Image yuv = randomYuv(c[0], c[1], fullRange, inGamut, seed++);
          for (float[][] norm : new float[][][] {{null, null}, {mean, std}}) {
            float[] halved = new float[3 * c[6] * c[7]];
            float[] any = new float[3 * c[6] * c[7]];
            Resize.bilinearInto(yuv, c[0] / 2, c[1] / 2, c[2], c[3], c[4], c[5], halved, c[6], c[7], c[8], c[9], norm[0], norm[1]);
            Resize.yuvIntoAnyScale(yuv, c[0] / 2, c[1] / 2, c[2], c[3], c[4], c[5], any, c[6], c[7], c[8], c[9], norm[0], norm[1]);
            assertArrayEquals(any, halved, c[0] + "x" + c[1] + (fullRange ? " full" : " limited") + (inGamut ? "" : ", clipped"));
          }
        }
      }
    }
  }

  /** An RGB image twice the scaled size takes its halving path: what the reference gives, bit for bit, cropped and normalized too. */
  @Test
  void rgb_halving_gives_what_the_reference_gives_bit_for_bit() {
    float[] mean = {0.485f, 0.456f, 0.406f};
    float[] std = {0.229f, 0.224f, 0.225f};
    // {width, height, cropX, cropY, outW, outH, planeW, planeH, offX, offY}
    int[][] cases = {{1280, 720, 0, 0, 640, 360, 640, 640, 0, 140}, {64, 48, 3, 2, 20, 16, 24, 20, 2, 1}, {2, 2, 0, 0, 1, 1, 1, 1, 0, 0}};
    long seed = 11;
    for (int[] c : cases) {
      RgbImage image = random(c[0], c[1], seed++);
      for (float[][] norm : new float[][][] {{null, null}, {mean, std}}) {
        float[] halved = new float[3 * c[6] * c[7]];
        float[] expected = new float[3 * c[6] * c[7]];
        Resize.bilinearInto(image, c[0] / 2, c[1] / 2, c[2], c[3], c[4], c[5], halved, c[6], c[7], c[8], c[9], norm[0], norm[1]);
        reference(image, c[0] / 2, c[1] / 2, c[2], c[3], c[4], c[5], expected, c[6], c[7], c[8], c[9], norm[0], norm[1]);
        assertArrayEquals(expected, halved, c[0] + "x" + c[1] + (norm[0] == null ? "" : ", normalized"));
      }
    }
  }

  private static void assertClose(float[] expected, float[] actual, float tolerance, String what) {
    org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      if (Math.abs(expected[i] - actual[i]) > tolerance) {
        org.junit.jupiter.api.Assertions.fail(what + ": value " + i + " is " + actual[i] + ", converting first gives "
            + expected[i] + " (more than " + tolerance + " apart)");
      }
    }
  }

  /** The implementation before the channels were unrolled. */
  static void reference(RgbImage image, int scaledW, int scaledH, int cropX, int cropY, int outW, int outH,
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

}
