package io.framewire.api.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes JPEG frames to luma or RGB, with libjpeg-turbo when the system has it (Debian's
 * {@code libturbojpeg-java}) and the JDK's ImageIO otherwise (measured choice: see
 * docs/benchmarks.md). For luma, both ask libjpeg for grayscale output so the chroma planes are
 * never colour-converted.
 *
 * <p>Thread-safe: every call uses its own {@link ImageReader}. Nothing is refused silently:
 * anything libjpeg warns about (truncated data, corrupt entropy coding) is an error here, because a
 * half-grey frame would look like motion to the next node.
 */
public final class JpegDecoder {

  /** Above this the header is refused before any pixel memory is allocated (8K UHD is 33.2 MP). */
  public static final long MAX_PIXELS = 40_000_000L;

  private static final ImageReaderSpi JPEG_READERS = findJpegReaderSpi();
  private static final ImageTypeSpecifier GRAY =
      ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_BYTE_GRAY);
  private static final ImageTypeSpecifier BGR =
      ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_3BYTE_BGR);

  /** Where {@code libturbojpeg-java} puts its jar on Debian. */
  public static final Path DEBIAN_TURBOJPEG_JAR = Path.of("/usr/share/java/turbojpeg.jar");

  /** The decoding library in use. */
  public enum Backend { IMAGEIO, TURBOJPEG }

  private static final Logger log = LoggerFactory.getLogger(JpegDecoder.class);
  private static volatile TurboJpegBackend turbo; // null: ImageIO
  private static volatile boolean configured; // until then the first decode configures "auto"

  private JpegDecoder() {}

  /** The library decoding frames now. */
  public static Backend backend() {
    return activeTurbo() == null ? Backend.IMAGEIO : Backend.TURBOJPEG;
  }

  /**
   * Chooses the decoding library ({@code framewire.jpeg.decoder}): {@code auto} uses libjpeg-turbo
   * if {@code turbojpegJar} and its native library load, else ImageIO with a log line saying why;
   * {@code turbojpeg} requires it; {@code imageio} never tries it.
   *
   * @return the library now in use
   * @throws IllegalArgumentException for an unknown choice
   * @throws IllegalStateException if {@code turbojpeg} was required and cannot load
   */
  public static synchronized Backend configure(String choice, Path turbojpegJar) {
    switch (choice.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "imageio" -> turbo = null;
      case "turbojpeg" -> turbo = TurboJpegBackend.load(turbojpegJar);
      case "auto" -> {
        try {
          turbo = TurboJpegBackend.load(turbojpegJar);
        } catch (IllegalStateException e) {
          turbo = null;
          log.info("JPEG decoding with ImageIO: {}", e.getMessage());
        }
      }
      default -> throw new IllegalArgumentException(
          "framewire.jpeg.decoder must be auto, turbojpeg or imageio, got '" + choice + "'");
    }
    configured = true;
    return backend();
  }

  /** libjpeg-turbo if in use, else null; the first call without an explicit choice picks "auto". */
  private static TurboJpegBackend activeTurbo() {
    if (!configured) {
      configure("auto", DEBIAN_TURBOJPEG_JAR);
    }
    return turbo;
  }

  /** The frame's luma, decoded at most once per frame: see {@link DecodedFrame}. */
  public static GrayImage grayOf(Map<String, Object> input) {
    return DecodedFrame.of(input).gray();
  }

  /**
   * Decodes a JPEG to luma.
   *
   * @throws InvalidImageException if it is not a JPEG, is corrupt or truncated, or exceeds {@link #MAX_PIXELS}
   */
  public static GrayImage decode(byte[] jpeg) {
    requireSoi(jpeg);
    TurboJpegBackend turbo = activeTurbo();
    if (turbo != null) {
      TurboJpegBackend.Pixels pixels = turbo.decode(jpeg, false);
      return new GrayImage(pixels.width(), pixels.height(), pixels.data());
    }
    BufferedImage image = read(jpeg, BufferedImage.TYPE_BYTE_GRAY);
    byte[] luma = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    return new GrayImage(image.getWidth(), image.getHeight(), luma);
  }

  /**
   * Decodes a JPEG to interleaved RGB.
   *
   * @throws InvalidImageException if it is not a JPEG, is corrupt or truncated, or exceeds {@link #MAX_PIXELS}
   */
  public static RgbImage decodeRgb(byte[] jpeg) {
    requireSoi(jpeg);
    TurboJpegBackend turbo = activeTurbo();
    if (turbo != null) {
      TurboJpegBackend.Pixels pixels = turbo.decode(jpeg, true);
      return new RgbImage(pixels.width(), pixels.height(), pixels.data());
    }
    BufferedImage image = read(jpeg, BufferedImage.TYPE_3BYTE_BGR);
    byte[] pixels = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
    if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
      byte[] rgb = new byte[pixels.length * 3];
      for (int i = 0, p = 0; i < pixels.length; i++, p += 3) {
        rgb[p] = rgb[p + 1] = rgb[p + 2] = pixels[i];
      }
      return new RgbImage(image.getWidth(), image.getHeight(), rgb);
    }
    for (int p = 0; p < pixels.length; p += 3) { // BGR to RGB, in place: the array is ours
      byte blue = pixels[p];
      pixels[p] = pixels[p + 2];
      pixels[p + 2] = blue;
    }
    return new RgbImage(image.getWidth(), image.getHeight(), pixels);
  }

  private static void requireSoi(byte[] jpeg) {
    if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
      throw new InvalidImageException("not a JPEG (no SOI marker)");
    }
  }

  private static BufferedImage read(byte[] jpeg, int imageType) {
    ImageReader reader = newReader();
    try (MemoryCacheImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
      reader.setInput(in, true, true);
      WarningRecorder warnings = new WarningRecorder();
      reader.addIIOReadWarningListener(warnings);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if ((long) width * height > MAX_PIXELS) {
        throw new InvalidImageException(
            "JPEG too large: " + width + "x" + height + " exceeds " + MAX_PIXELS + " pixels");
      }
      BufferedImage image = reader.read(0, param(reader, imageType));
      if (warnings.first != null) {
        throw new InvalidImageException("corrupt JPEG: " + warnings.first);
      }
      return image;
    } catch (InvalidImageException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new InvalidImageException("corrupt JPEG: " + shortMessage(e), e);
    } finally {
      reader.dispose();
    }
  }

  private static ImageReadParam param(ImageReader reader, int imageType) throws IOException {
    ImageReadParam param = reader.getDefaultReadParam();
    // Gray and BGR are offered for YCbCr JPEGs, gray for grayscale ones; CMYK/YCCK ones are refused.
    for (Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0); types.hasNext(); ) {
      if (types.next().getBufferedImageType() == imageType) {
        param.setDestinationType(imageType == BufferedImage.TYPE_BYTE_GRAY ? GRAY : BGR);
        return param;
      }
    }
    if (imageType == BufferedImage.TYPE_3BYTE_BGR) {
      // A grayscale JPEG offers no colour output: decode gray and repeat it in each channel.
      for (Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0); types.hasNext(); ) {
        if (types.next().getBufferedImageType() == BufferedImage.TYPE_BYTE_GRAY) {
          param.setDestinationType(GRAY);
          return param;
        }
      }
    }
    throw new InvalidImageException("unsupported JPEG colour space (not grayscale or YCbCr)");
  }

  private static ImageReader newReader() {
    try {
      return JPEG_READERS.createReaderInstance();
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a JPEG reader", e);
    }
  }

  private static ImageReaderSpi findJpegReaderSpi() {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("jpeg");
    if (!readers.hasNext()) {
      throw new IllegalStateException("this JVM has no ImageIO JPEG reader");
    }
    ImageReader reader = readers.next();
    ImageReaderSpi spi = reader.getOriginatingProvider();
    reader.dispose();
    return spi;
  }

  private static String shortMessage(Throwable e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    return message.length() > 120 ? message.substring(0, 120) + "…" : message;
  }

  /** libjpeg reports truncation and bad Huffman data as warnings; we keep the first one. */
  private static final class WarningRecorder implements javax.imageio.event.IIOReadWarningListener {
    String first;

    @Override
    public void warningOccurred(ImageReader source, String warning) {
      if (first == null) {
        first = warning;
      }
    }
  }
}
