package io.framewire.api.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** YUV 4:2:0 → gray and RGB against BT.601's definitions (what swscale gives for video). */
class Yuv420ImageTest {

  /** A 3×2 image (odd width: the last column has a chroma sample of its own) of one colour. */
  static Yuv420Image solid(int y, int u, int v, boolean fullRange) {
    byte[] luma = new byte[6];
    byte[] cb = new byte[2];
    byte[] cr = new byte[2];
    Arrays.fill(luma, (byte) y);
    Arrays.fill(cb, (byte) u);
    Arrays.fill(cr, (byte) v);
    return new Yuv420Image(3, 2, luma, cb, cr, fullRange);
  }

  static void assertRgb(Yuv420Image image, int r, int g, int b) {
    RgbImage rgb = image.toRgb();
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        assertEquals(r, rgb.at(x, y, 0), 1.0, "red at " + x + "," + y);
        assertEquals(g, rgb.at(x, y, 1), 1.0, "green at " + x + "," + y);
        assertEquals(b, rgb.at(x, y, 2), 1.0, "blue at " + x + "," + y);
      }
    }
  }

  @Test
  void limitedRangeColoursConvertToTheirRgb() {
    assertRgb(solid(16, 128, 128, false), 0, 0, 0);
    assertRgb(solid(235, 128, 128, false), 255, 255, 255);
    assertRgb(solid(126, 128, 128, false), 128, 128, 128);
    // BT.601 limited range: red (81, 90, 240), green (145, 54, 34), blue (41, 240, 110).
    assertRgb(solid(81, 90, 240, false), 255, 0, 0);
    assertRgb(solid(145, 54, 34, false), 0, 255, 0);
    assertRgb(solid(41, 240, 110, false), 0, 0, 255);
  }

  @Test
  void fullRangeColoursConvertToTheirRgb() {
    assertRgb(solid(0, 128, 128, true), 0, 0, 0);
    assertRgb(solid(255, 128, 128, true), 255, 255, 255);
    // BT.601 full range (JPEG): red (76, 85, 255), blue (29, 255, 107).
    assertRgb(solid(76, 85, 255, true), 255, 0, 0);
    assertRgb(solid(29, 255, 107, true), 0, 0, 255);
  }

  @Test
  void chromaIsSharedByTwoByTwoPixels() {
    // 4×2: left pair red, right pair blue (one chroma sample each), luma as for those colours.
    Yuv420Image image = new Yuv420Image(4, 2,
        new byte[] {81, 81, 41, 41, 81, 81, 41, 41}, new byte[] {90, (byte) 240}, new byte[] {(byte) 240, 110}, false);
    RgbImage rgb = image.toRgb();
    for (int y = 0; y < 2; y++) {
      assertEquals(255, rgb.at(1, y, 0), 1.0);
      assertEquals(0, rgb.at(1, y, 2), 1.0);
      assertEquals(0, rgb.at(2, y, 0), 1.0);
      assertEquals(255, rgb.at(2, y, 2), 1.0);
    }
  }

  @Test
  void grayIsTheLumaInFullRange() {
    Yuv420Image limited = new Yuv420Image(2, 2, new byte[] {16, (byte) 235, 126, 0}, new byte[1], new byte[1], false);
    assertArrayEquals(new byte[] {0, (byte) 255, (byte) 128, 0}, limited.toGray().luma());
    Yuv420Image full = solid(200, 10, 20, true);
    assertSame(full.y(), full.toGray().luma(), "full range: the luma plane itself, not a copy");
    // Gray from luma is what gray from the converted RGB gives, for a gray pixel.
    assertEquals(solid(126, 128, 128, false).toRgb().toGray().luma()[0], solid(126, 128, 128, false).toGray().luma()[0]);
  }

  @Test
  void planesMustHaveTheirSizes() {
    assertThrows(IllegalArgumentException.class, () -> new Yuv420Image(3, 2, new byte[6], new byte[1], new byte[2], false));
    assertThrows(IllegalArgumentException.class, () -> new Yuv420Image(3, 2, new byte[5], new byte[2], new byte[2], false));
  }

  @Test
  void aYuvFrameConvertsOnlyWhenAViewIsAskedFor() {
    DecodedFrame frame = DecodedFrame.ofYuv420(solid(81, 90, 240, false));
    assertEquals(3, frame.width());
    assertEquals(2, frame.height());
    assertEquals(255, frame.rgb().at(0, 0, 0), 1.0);
    assertSame(frame.rgb(), frame.rgb(), "converted once");
    assertEquals(0, frame.decodes());
  }

  @Test
  void colourIsTheYuvItselfUntilRgbIsAskedFor() {
    Yuv420Image yuv = solid(81, 90, 240, false);
    DecodedFrame frame = DecodedFrame.ofYuv420(yuv);
    assertSame(yuv, frame.colour(), "no conversion for a reader of rows");
    RgbImage rgb = frame.rgb();
    assertSame(rgb, frame.colour(), "once converted, the RGB is shared");
  }
}
