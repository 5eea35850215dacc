package io.framewire.api.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestJpegs;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DecodedFrameTest {

  private static final Color TEAL = new Color(30, 160, 200);

  @Test
  void grayOnlyFrameDecodesLumaOnce() {
    DecodedFrame frame = DecodedFrame.ofJpeg(TestJpegs.solid(64, 48, TEAL), false);
    assertEquals(0, frame.decodes(), "nothing is decoded before a view is asked for");
    GrayImage gray = frame.gray();
    assertSame(gray, frame.gray());
    assertEquals(64, gray.width());
    assertEquals(1, frame.decodes());
  }

  @Test
  void sizeComesFromTheDecodedViewOrOneLumaDecode() {
    DecodedFrame jpeg = DecodedFrame.ofJpeg(TestJpegs.solid(64, 48, TEAL), false);
    assertEquals(64, jpeg.width());
    assertEquals(48, jpeg.height());
    assertEquals(1, jpeg.decodes(), "one luma decode for both");
    DecodedFrame rgb = DecodedFrame.ofRgb(new RgbImage(30, 20, new byte[30 * 20 * 3]));
    assertEquals(30, rgb.width());
    assertEquals(20, rgb.height());
    assertEquals(0, rgb.decodes());
  }

  @Test
  void colourFrameDecodesOnceAndDerivesGrayFromColour() {
    byte[] jpeg = TestJpegs.solid(64, 48, TEAL);
    DecodedFrame frame = DecodedFrame.ofJpeg(jpeg, true);
    GrayImage gray = frame.gray(); // asked first, yet decoded in colour: rgb() below costs nothing
    RgbImage rgb = frame.rgb();
    assertEquals(1, frame.decodes());
    assertEquals(3 * 64 * 48, rgb.rgb().length);
    // JPEG stores this colour approximately; each channel lands within a few levels.
    assertEquals(30, rgb.at(10, 10, 0), 6);
    assertEquals(160, rgb.at(10, 10, 1), 6);
    assertEquals(200, rgb.at(10, 10, 2), 6);
    // Derived luma agrees with libjpeg's own gray decode of the same file.
    assertEquals(JpegDecoder.decode(jpeg).at(10, 10), gray.at(10, 10), 2);
  }

  @Test
  void concurrentBranchesShareOneDecode() throws Exception {
    DecodedFrame frame = DecodedFrame.ofJpeg(TestJpegs.scene(640, 480, 3), true);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> views = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        boolean colour = i % 2 == 0;
        views.add(pool.submit(() -> {
          start.await();
          return colour ? frame.rgb() : frame.gray();
        }));
      }
      start.countDown();
      for (Future<Object> view : views) {
        view.get();
      }
      assertEquals(1, frame.decodes());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rgbFrameEncodesJpegOnlyWhenAsked() {
    byte[] pixels = new byte[3 * 32 * 16];
    for (int p = 0; p < pixels.length; p += 3) {
      pixels[p] = (byte) 200; // red
    }
    DecodedFrame frame = DecodedFrame.ofRgb(new RgbImage(32, 16, pixels));
    assertFalse(frame.hasJpeg());
    assertEquals((19595 * 200 + 32768) >> 16, frame.gray().at(5, 5));
    assertFalse(frame.hasJpeg(), "gray comes from the pixels, not from an encode");
    byte[] jpeg = frame.jpeg();
    assertTrue(frame.hasJpeg());
    assertSame(jpeg, frame.jpeg());
    RgbImage decoded = JpegDecoder.decodeRgb(jpeg);
    assertEquals(200, decoded.at(5, 5, 0), 8);
    assertEquals(0, frame.decodes());
  }

  @Test
  void grayscaleJpegHasAnRgbViewWithEqualChannels() throws Exception {
    byte[] jpeg = TestJpegs.grayscale(20, 10, 90);
    RgbImage rgb = JpegDecoder.decodeRgb(jpeg);
    assertEquals(rgb.at(3, 3, 0), rgb.at(3, 3, 1));
    assertEquals(rgb.at(3, 3, 1), rgb.at(3, 3, 2));
    assertEquals(90, rgb.at(3, 3, 0), 3);
  }

  @Test
  void ofInputPrefersTheSharedFrameAndElseWrapsImageBytes() {
    byte[] jpeg = TestJpegs.solid(8, 8, Color.WHITE);
    DecodedFrame shared = DecodedFrame.ofJpeg(jpeg, false);
    assertSame(shared, DecodedFrame.of(Map.of("image_bytes", new byte[] {0}, DecodedFrame.KEY, shared)));
    DecodedFrame wrapped = DecodedFrame.of(Map.of("image_bytes", jpeg));
    assertArrayEquals(jpeg, wrapped.jpeg());
    var e = assertThrows(InvalidImageException.class, () -> DecodedFrame.of(Map.of("frame_index", 1L)));
    assertEquals("input has no frame (no image_bytes)", e.getMessage());
  }

  @Test
  void corruptJpegFailsEachViewWithTheDecoderMessage() {
    DecodedFrame frame = DecodedFrame.ofJpeg(new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0, 0}, true);
    assertTrue(assertThrows(InvalidImageException.class, frame::rgb).getMessage().startsWith("corrupt JPEG"));
    assertTrue(assertThrows(InvalidImageException.class, frame::gray).getMessage().startsWith("corrupt JPEG"));
  }
}
