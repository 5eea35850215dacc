package io.framewire.api.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Encodes decoded frames to JPEG, for tools that ask a decoded frame for its bytes. */
public final class JpegEncoder {

  /** High enough that a re-encoded frame looks like the source to a detector. */
  public static final float QUALITY = 0.9f;

  private JpegEncoder() {}

  public static byte[] encode(RgbImage image) {
    BufferedImage buffered = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) buffered.getRaster().getDataBuffer()).getData();
    byte[] rgb = image.rgb();
    for (int p = 0; p < rgb.length; p += 3) {
      bgr[p] = rgb[p + 2];
      bgr[p + 1] = rgb[p + 1];
      bgr[p + 2] = rgb[p];
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream(image.width() * image.height() / 4);
    try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(QUALITY);
      writer.write(null, new IIOImage(buffered, null, null), param);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode JPEG: " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }
}
