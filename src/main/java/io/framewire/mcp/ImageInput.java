package io.framewire.mcp;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * {@code analyze_image}'s picture: base64 in the call or a file under {@code JOBS_INPUT_DIR}, at most
 * {@code MCP_MAX_IMAGE_MB} and the stream's pixel limit, as the JPEG a pipeline takes (another format
 * ImageIO reads, such as PNG, is re-encoded once). Every refusal is a {@link ToolError} saying why.
 */
final class ImageInput {

  /** The picture as JPEG, and its size. */
  record Image(byte[] jpeg, int width, int height) {}

  private final int maxBytes;
  private final long maxPixels;
  private final Optional<Path> inputDir;

  ImageInput(int maxBytes, long maxPixels, Optional<Path> inputDir) {
    this.maxBytes = maxBytes;
    this.maxPixels = maxPixels;
    this.inputDir = inputDir;
  }

  /** Exactly one of {@code image_base64} and {@code path}. */
  Image read(Args args) {
    Optional<String> base64 = args.optional("image_base64");
    Optional<String> path = args.optional("path");
    if (base64.isPresent() == path.isPresent()) {
      throw ToolError.invalid("give exactly one of 'image_base64' (the image's bytes in base64) and 'path' "
          + "(a file under JOBS_INPUT_DIR)");
    }
    return image(base64.isPresent() ? decode(base64.get()) : file(path.get()));
  }

  byte[] decode(String text) {
    String data = text;
    int comma = data.indexOf(',');
    if (data.startsWith("data:") && comma > 0) {
      data = data.substring(comma + 1); // a data URL: data:image/png;base64,....
    }
    data = data.replaceAll("\\s", "");
    tooLarge((long) data.length() * 3 / 4);
    try {
      return Base64.getDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      throw new ToolError("invalid_image", "'image_base64' is not valid base64: " + e.getMessage());
    }
  }

  byte[] file(String name) {
    if (inputDir.isEmpty()) {
      throw new ToolError("paths_disabled",
          "this server takes no paths (JOBS_INPUT_DIR is not set); send the image as 'image_base64'");
    }
    Path dir = inputDir.get();
    Path file = dir.resolve(name).normalize();
    try {
      // Both real: a link inside the folder that points out of it is outside too.
      if (!file.startsWith(dir) || !file.toRealPath().startsWith(dir.toRealPath())) {
        throw new ToolError("forbidden_path", "'path' must name a file under JOBS_INPUT_DIR, got '" + name + "'");
      }
      if (!Files.isRegularFile(file)) {
        throw new ToolError("not_found", "no file '" + name + "' under JOBS_INPUT_DIR");
      }
      tooLarge(Files.size(file));
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ToolError("not_found", "no file '" + name + "' under JOBS_INPUT_DIR");
    } catch (IOException e) {
      throw new ToolError("unreadable", "the file '" + name + "' cannot be read");
    }
  }

  /** The bytes as a pipeline's JPEG, after the pixel limit: read from the header, before decoding. */
  Image image(byte[] bytes) {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw notAnImage();
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if ((long) width * height > maxPixels) {
          throw new ToolError("image_too_large", "the image is " + width + "x" + height + " pixels; at most "
              + maxPixels + " pixels (STREAM_MAX_FRAME_PIXELS)");
        }
        boolean jpeg = bytes.length > 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8;
        return new Image(jpeg ? bytes : toJpeg(reader.read(0)), width, height);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ToolError error) {
        throw error;
      }
      throw notAnImage();
    }
  }

  private void tooLarge(long bytes) {
    if (bytes > maxBytes) {
      throw new ToolError("image_too_large", String.format(java.util.Locale.ROOT,
          "the image is %.1f MB; at most %d MB (MCP_MAX_IMAGE_MB)", bytes / 1048576.0, maxBytes / 1048576));
    }
  }

  private static ToolError notAnImage() {
    return new ToolError("invalid_image", "the bytes are not an image this server reads (JPEG, PNG, BMP, GIF)");
  }

  private static byte[] toJpeg(BufferedImage image) throws IOException {
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    g.drawImage(image, 0, 0, null);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(rgb, "jpg", out);
    return out.toByteArray();
  }
}
