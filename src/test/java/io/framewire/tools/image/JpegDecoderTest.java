package io.framewire.tools.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestJpegs;
import java.awt.Color;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JpegDecoderTest {

  @Test
  void decodesLumaOfAColourFrame() {
    // BT.601 luma of (100,150,200) is 140.75
    GrayImage gray = JpegDecoder.decode(TestJpegs.solid(64, 48, new Color(100, 150, 200)));
    assertEquals(64, gray.width());
    assertEquals(48, gray.height());
    assertEquals(141, gray.at(32, 24), 2);
  }

  @Test
  void decodesAGrayscaleJpeg() throws Exception {
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

  @Test
  void garbageIsRefusedWithAShortMessage() {
    var e = assertThrows(InvalidImageException.class, () -> JpegDecoder.decode("hello".getBytes()));
    assertEquals("not a JPEG (no SOI marker)", e.getMessage());
  }

  @Test
  void corruptBodyIsRefused() {
    byte[] jpeg = TestJpegs.scene(320, 240, 3);
    // Keep the headers, overwrite the middle of the entropy-coded data with marker-like garbage.
    Arrays.fill(jpeg, jpeg.length / 2, jpeg.length / 2 + 200, (byte) 0xFF);
    var e = assertThrows(InvalidImageException.class, () -> JpegDecoder.decode(jpeg));
    assertTrue(e.getMessage().startsWith("corrupt JPEG"), e.getMessage());
    assertTrue(e.getMessage().length() < 160, e.getMessage());
  }

  @Test
  void truncatedFrameIsRefusedNotGreyFilled() {
    byte[] jpeg = TestJpegs.scene(320, 240, 4);
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
    var e = assertThrows(InvalidImageException.class, () -> JpegDecoder.decode(truncated));
    assertTrue(e.getMessage().startsWith("corrupt JPEG"), e.getMessage());
  }

  @Test
  void hugeDeclaredSizeIsRefusedBeforeAllocating() {
    byte[] jpeg = TestJpegs.withDeclaredSize(TestJpegs.solid(16, 16, Color.GRAY), 60000, 60000);
    var e = assertThrows(InvalidImageException.class, () -> JpegDecoder.decode(jpeg));
    assertEquals("JPEG too large: 60000x60000 exceeds 40000000 pixels", e.getMessage());
  }

  @Test
  void missingImageBytesIsAnError() {
    var e = assertThrows(InvalidImageException.class, () -> JpegDecoder.grayOf(Map.of("frame_index", 1L)));
    assertEquals("input has no frame (no image_bytes)", e.getMessage());
  }
}
