package io.framewire.tools.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG frames to luma with the JDK's ImageIO, asking libjpeg for grayscale output so the
 * chroma planes are never colour-converted (measured choice: see docs/tools.md).
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

  private JpegDecoder() {}

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

  private static BufferedImage read(byte[] jpeg, int imageType) {
    if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
      throw new InvalidImageException("not a JPEG (no SOI marker)");
    }
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
