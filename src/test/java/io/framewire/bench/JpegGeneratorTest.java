package io.framewire.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class JpegGeneratorTest {

  @Test
  void defaultSizeIsCloseToTwentyOneKilobytesAndDecodes() throws Exception {
    byte[] jpeg = JpegGenerator.generate(21 * 1024);
    assertTrue(Math.abs(jpeg.length - 21 * 1024) < 21 * 1024 / 10, "size " + jpeg.length);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
    assertNotNull(image, "a decodable JPEG");
    assertTrue(image.getWidth() > 0 && image.getHeight() > 0);
  }

  @Test
  void smallAndLargeTargetsAreReachedAndDeterministic() {
    for (int kb : new int[] {2, 100}) {
      byte[] jpeg = JpegGenerator.generate(kb * 1024);
      assertTrue(Math.abs(jpeg.length - kb * 1024) < kb * 1024 / 5, kb + " KB -> " + jpeg.length);
      assertArrayEquals(jpeg, JpegGenerator.generate(kb * 1024));
    }
  }
}
