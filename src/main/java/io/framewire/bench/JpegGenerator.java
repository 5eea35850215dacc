package io.framewire.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Makes a real, decodable JPEG of roughly a requested size, so benchmarks do not depend on a file
 * that must be shipped. A smooth gradient compresses to almost nothing and noise to a lot, so the
 * size is steered by the noise amplitude (binary search), after picking image dimensions whose
 * size range contains the target. The seed is fixed: the same size request gives the same bytes.
 */
public final class JpegGenerator {

  private static final float QUALITY = 0.8f;

  private JpegGenerator() {}

  public static byte[] generate(int targetBytes) {
    int width = 320;
    int height = 240;
    // Grow until the noisiest image is big enough, shrink until the smoothest is small enough.
    while (encode(width, height, 255).length < targetBytes && width < 8192) {
      width *= 2;
      height *= 2;
    }
    while (encode(width, height, 0).length > targetBytes && width > 16) {
      width /= 2;
      height /= 2;
    }
    int lo = 0;
    int hi = 255;
    byte[] best = encode(width, height, 0);
    for (int i = 0; i < 9 && lo <= hi; i++) {
      int mid = (lo + hi) >>> 1;
      byte[] jpeg = encode(width, height, mid);
      if (Math.abs(jpeg.length - targetBytes) < Math.abs(best.length - targetBytes)) {
        best = jpeg;
      }
      if (jpeg.length < targetBytes) {
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return best;
  }

  static byte[] encode(int width, int height, int noise) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(42);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = clamp(x * 255 / width + jitter(random, noise));
        int g = clamp(y * 255 / height + jitter(random, noise));
        int b = clamp((x + y) * 255 / (width + height) + jitter(random, noise));
        image.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ByteArrayOutputStream out = new ByteArrayOutputStream();
        MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(QUALITY);
      writer.setOutput(stream);
      writer.write(null, new IIOImage(image, null, null), param);
      stream.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
  }

  private static int jitter(Random random, int noise) {
    return noise == 0 ? 0 : random.nextInt(2 * noise + 1) - noise;
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }
}
