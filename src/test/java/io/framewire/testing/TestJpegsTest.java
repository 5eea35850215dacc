package io.framewire.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;

class TestJpegsTest {

  @Test
  void generatedImagesAreRealJpegsOfTheRequestedSize() throws IOException {
    assertSize(TestJpegs.solid(64, 48, Color.RED), 64, 48);
    assertSize(TestJpegs.withSquare(320, 240, 10, 10, 30), 320, 240);
    assertSize(TestJpegs.noise(50, 40, 1), 50, 40);
    assertSize(TestJpegs.scene(640, 480, 1), 640, 480);
    assertSize(TestJpegs.qrCode("hi", 200), 200, 200);
  }

  @Test
  void sameArgumentsGiveSameBytes() {
    assertArrayEquals(TestJpegs.noise(30, 20, 7), TestJpegs.noise(30, 20, 7));
  }

  @Test
  void declaredSizeRewritesOnlyTheHeader() throws IOException {
    byte[] original = TestJpegs.solid(64, 48, Color.GRAY);
    byte[] huge = TestJpegs.withDeclaredSize(original, 60000, 60000);
    assertEquals(original.length, huge.length);
    assertSize(huge, 60000, 60000);
  }

  private static void assertSize(byte[] jpeg, int width, int height) throws IOException {
    assertTrue(jpeg[0] == (byte) 0xFF && jpeg[1] == (byte) 0xD8, "starts with SOI");
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(jpeg))) {
      ImageReader reader = ImageIO.getImageReaders(in).next();
      reader.setInput(in);
      assertEquals("jpeg", reader.getFormatName().toLowerCase());
      assertEquals(width, reader.getWidth(0));
      assertEquals(height, reader.getHeight(0));
      reader.dispose();
    }
  }
}
