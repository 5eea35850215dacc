package io.framewire.api.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestJpegs;
import java.awt.Color;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every decoding rule holds for both libraries: ImageIO, and libjpeg-turbo from Debian's
 * libturbojpeg-java (installed by scripts/test.sh; this test fails if it cannot load, rather than
 * silently testing one library twice).
 */
class JpegDecoderTest {

  private final JpegDecoder.Backend before = JpegDecoder.backend();

  @AfterEach
  void restore() {
    use(before);
  }

  static void use(JpegDecoder.Backend backend) {
    String choice = backend == JpegDecoder.Backend.IMAGEIO ? "imageio" : "turbojpeg";
    assertEquals(backend, JpegDecoder.configure(choice, JpegDecoder.DEBIAN_TURBOJPEG_JAR));
  }

  @ParameterizedTest
  @EnumSource(JpegDecoder.Backend.class)
  void decodesLumaOfAColourFrame(JpegDecoder.Backend backend) {
    use(backend);
    // BT.601 luma of (100,150,200) is 140.75
    GrayImage gray = JpegDecoder.decode(TestJpegs.solid(64, 48, new Color(100, 150, 200)));
    assertEquals(64, gray.width());
    assertEquals(48, gray.height());
    assertEquals(141, gray.at(32, 24), 2);
  }

  @ParameterizedTest
  @EnumSource(JpegDecoder.Backend.class)
  void decodesAGrayscaleJpeg(JpegDecoder.Backend backend) throws Exception {
    use(backend);
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(20, 10, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
    java.awt.Graphics2D g = image.createGraphics();
    g.setColor(new Color(90, 90, 90));
    g.fillRect(0, 0, 20, 10);
    g.dispose();
    var out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(image, "jpeg", out);
    GrayImage gray = JpegDecoder.decode(out.toByteArray());
    assertEquals(20, gray.width());
    assertEquals(90, gray.at(10, 5), 2);
  }

  @ParameterizedTest
  @EnumSource(JpegDecoder.Backend.class)
  void garbageIsRefusedWithAShortMessage(JpegDecoder.Backend backend) {
    use(backend);
    var e = assertThrows(InvalidImageException.class, () -> JpegDecoder.decode("hello".getBytes()));
    assertEquals("not a JPEG (no SOI marker)", e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(JpegDecoder.Backend.class)
  void corruptBodyIsRefused(JpegDecoder.Backend backend) {
    use(backend);
    byte[] jpeg = TestJpegs.scene(320, 240, 3);
    // Keep the headers, overwrite the middle of the entropy-coded data with marker-like garbage.
    Arrays.fill(jpeg, jpeg.length / 2, jpeg.length / 2 + 200, (byte) 0xFF);
    var e = assertThrows(InvalidImageException.class, () -> JpegDecoder.decode(jpeg));
    assertTrue(e.getMessage().startsWith("corrupt JPEG"), e.getMessage());
    assertTrue(e.getMessage().length() < 160, e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(JpegDecoder.Backend.class)
  void truncatedFrameIsRefusedNotGreyFilled(JpegDecoder.Backend backend) {
    use(backend);
    byte[] jpeg = TestJpegs.scene(320, 240, 4);
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
    var e = assertThrows(InvalidImageException.class, () -> JpegDecoder.decode(truncated));
    assertTrue(e.getMessage().startsWith("corrupt JPEG"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(JpegDecoder.Backend.class)
  void hugeDeclaredSizeIsRefusedBeforeAllocating(JpegDecoder.Backend backend) {
    use(backend);
    byte[] jpeg = TestJpegs.withDeclaredSize(TestJpegs.solid(16, 16, Color.GRAY), 60000, 60000);
    var e = assertThrows(InvalidImageException.class, () -> JpegDecoder.decode(jpeg));
    assertEquals("JPEG too large: 60000x60000 exceeds 40000000 pixels", e.getMessage());
  }

  @Test
  void missingImageBytesIsAnError() {
    var e = assertThrows(InvalidImageException.class, () -> JpegDecoder.grayOf(Map.of("frame_index", 1L)));
    assertEquals("input has no frame (no image_bytes)", e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(JpegDecoder.Backend.class)
  void decodesRgb(JpegDecoder.Backend backend) {
    use(backend);
    RgbImage rgb = JpegDecoder.decodeRgb(TestJpegs.solid(64, 48, new Color(100, 150, 200)));
    assertEquals(64, rgb.width());
    assertEquals(100, rgb.at(32, 24, 0), 3);
    assertEquals(150, rgb.at(32, 24, 1), 3);
    assertEquals(200, rgb.at(32, 24, 2), 3);
  }

  @Test
  void bothLibrariesDecodeTheSameFrameAlike() {
    byte[] jpeg = TestJpegs.scene(640, 480, 7);
    use(JpegDecoder.Backend.IMAGEIO);
    GrayImage imageIo = JpegDecoder.decode(jpeg);
    RgbImage imageIoRgb = JpegDecoder.decodeRgb(jpeg);
    use(JpegDecoder.Backend.TURBOJPEG);
    GrayImage turbo = JpegDecoder.decode(jpeg);
    RgbImage turboRgb = JpegDecoder.decodeRgb(jpeg);
    assertEquals(imageIo.width(), turbo.width());
    assertEquals(imageIo.height(), turbo.height());
    // Different IDCT and upsampling code: pixels may differ by a level or two, never more.
    assertTrue(maxDifference(imageIo.luma(), turbo.luma()) <= 3);
    assertTrue(maxDifference(imageIoRgb.rgb(), turboRgb.rgb()) <= 8);
  }

  @Test
  void unknownChoiceIsRefusedAndAMissingTurboJarFallsBackOnlyInAuto() {
    var e = assertThrows(IllegalArgumentException.class, () -> JpegDecoder.configure("libpng", JpegDecoder.DEBIAN_TURBOJPEG_JAR));
    assertTrue(e.getMessage().contains("auto, turbojpeg or imageio"), e.getMessage());
    java.nio.file.Path missing = java.nio.file.Path.of("/nonexistent/turbojpeg.jar");
    var required = assertThrows(IllegalStateException.class, () -> JpegDecoder.configure("turbojpeg", missing));
    assertTrue(required.getMessage().contains("libturbojpeg-java"), required.getMessage());
    assertEquals(JpegDecoder.Backend.IMAGEIO, JpegDecoder.configure("auto", missing));
  }

  private static int maxDifference(byte[] a, byte[] b) {
    assertEquals(a.length, b.length);
    int max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
    }
    return max;
  }
}
