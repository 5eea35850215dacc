package io.framewire.testing;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Real JPEG frames for tests, made with ImageIO (baseline, 3-component YCbCr like a camera's).
 * Everything is deterministic: the same arguments give the same bytes.
 */
public final class TestJpegs {

  /** Background of {@link #withSquare}: dark enough that a white square is an obvious change. */
  public static final Color DARK = new Color(20, 20, 20);

  private TestJpegs() {}

  /** A single-colour image. */
  public static byte[] solid(int width, int height, Color color) {
    BufferedImage image = rgb(width, height);
    Graphics2D g = image.createGraphics();
    g.setColor(color);
    g.fillRect(0, 0, width, height);
    g.dispose();
    return encode(image, 0.9f);
  }

  /** A single-level grayscale JPEG (one component, no chroma). */
  public static byte[] grayscale(int width, int height, int level) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    Graphics2D g = image.createGraphics();
    g.setColor(new Color(level, level, level));
    g.fillRect(0, 0, width, height);
    g.dispose();
    return encode(image, 0.9f);
  }

  /** A white {@code size}×{@code size} square at ({@code x}, {@code y}) on {@link #DARK}: move it for motion tests. */
  public static byte[] withSquare(int width, int height, int x, int y, int size) {
    BufferedImage image = rgb(width, height);
    Graphics2D g = image.createGraphics();
    g.setColor(DARK);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.WHITE);
    g.fillRect(x, y, size, size);
    g.dispose();
    return encode(image, 0.9f);
  }

  /** A QR code of {@code text}, {@code size}×{@code size} pixels with ZXing's default quiet zone. */
  public static byte[] qrCode(String text, int size) {
    BitMatrix matrix;
    try {
      matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, size, size);
    } catch (WriterException e) {
      throw new IllegalArgumentException("cannot encode QR code: " + e.getMessage(), e);
    }
    BufferedImage image = rgb(matrix.getWidth(), matrix.getHeight());
    for (int y = 0; y < matrix.getHeight(); y++) {
      for (int x = 0; x < matrix.getWidth(); x++) {
        image.setRGB(x, y, matrix.get(x, y) ? 0x000000 : 0xFFFFFF);
      }
    }
    // High quality: JPEG ringing at module edges is what makes low-quality QR frames fail to decode.
    return encode(image, 0.95f);
  }

  /** Independent random colour per pixel: no structure at all (nothing to detect, worst case for JPEG size). */
  public static byte[] noise(int width, int height, long seed) {
    Random random = new Random(seed);
    BufferedImage image = rgb(width, height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    return encode(image, 0.9f);
  }

  /**
   * Something like a camera frame: gradients, shapes and mild sensor noise, which compresses to
   * roughly 20–100 KB at 640×480–1280×720 (for decoder benchmarks and load tests).
   */
  public static byte[] scene(int width, int height, long seed) {
    Random random = new Random(seed);
    BufferedImage image = rgb(width, height);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setPaint(new GradientPaint(0, 0, new Color(90, 120, 170), width, height, new Color(200, 180, 140)));
    g.fillRect(0, 0, width, height);
    for (int i = 0; i < 40; i++) {
      g.setColor(new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
      int w = 10 + random.nextInt(width / 4);
      int h = 10 + random.nextInt(height / 4);
      int x = random.nextInt(width);
      int y = random.nextInt(height);
      if (random.nextBoolean()) {
        g.fillOval(x, y, w, h);
      } else {
        g.fillRect(x, y, w, h);
      }
    }
    g.dispose();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = image.getRGB(x, y);
        int n = random.nextInt(9) - 4;
        image.setRGB(x, y, clamp(((rgb >> 16) & 0xFF) + n) << 16 | clamp(((rgb >> 8) & 0xFF) + n) << 8 | clamp((rgb & 0xFF) + n));
      }
    }
    return encode(image, 0.85f);
  }

  /**
   * A copy of {@code jpeg} whose frame header (SOF0/SOF1/SOF2) declares {@code width}×{@code height}
   * although the entropy-coded data is unchanged: for "header says 60000×60000" tests.
   */
  public static byte[] withDeclaredSize(byte[] jpeg, int width, int height) {
    if (width < 1 || width > 0xFFFF || height < 1 || height > 0xFFFF) {
      throw new IllegalArgumentException("JPEG dimensions are 1..65535, got " + width + "x" + height);
    }
    byte[] copy = Arrays.copyOf(jpeg, jpeg.length);
    int i = 2; // after SOI
    while (i + 4 <= copy.length) {
      if ((copy[i] & 0xFF) != 0xFF) {
        throw new IllegalArgumentException("not a JPEG marker at offset " + i);
      }
      int marker = copy[i + 1] & 0xFF;
      int length = (copy[i + 2] & 0xFF) << 8 | (copy[i + 3] & 0xFF);
      if (marker == 0xC0 || marker == 0xC1 || marker == 0xC2) {
        // segment: FF Cn, length(2), precision(1), height(2), width(2)
        copy[i + 5] = (byte) (height >> 8);
        copy[i + 6] = (byte) height;
        copy[i + 7] = (byte) (width >> 8);
        copy[i + 8] = (byte) width;
        return copy;
      }
      i += 2 + length;
    }
    throw new IllegalArgumentException("no SOF0/SOF1/SOF2 header found");
  }

  private static BufferedImage rgb(int width, int height) {
    return new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static byte[] encode(BufferedImage image, float quality) {
    return write(image, param -> {
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
    });
  }

  /** A gradient written as a progressive JPEG (an SOF2 frame header instead of SOF0). */
  public static byte[] progressive(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8);
      }
    }
    return write(image, param -> param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT));
  }

  private static byte[] write(BufferedImage image, java.util.function.Consumer<ImageWriteParam> configure) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      configure.accept(param);
      writer.setOutput(out);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

}
