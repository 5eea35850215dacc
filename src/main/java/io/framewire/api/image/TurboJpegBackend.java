package io.framewire.api.image;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * JPEG decoding with libjpeg-turbo (the decoder OpenCV uses), through its Java binding as Debian
 * ships it ({@code libturbojpeg-java}: {@code /usr/share/java/turbojpeg.jar}, plus the native
 * {@code libturbojpeg0}). The jar is not on Maven Central, so it is loaded at run time from the
 * system's copy and called through method handles; if it or its native library is missing, {@link
 * #load} says why and the caller keeps ImageIO.
 */
final class TurboJpegBackend {

  // Constants of org.libjpegturbo.turbojpeg.TJ (libjpeg-turbo 2.x Java API).
  private static final int PF_RGB = 0;
  private static final int PF_GRAY = 6;
  private static final int CS_CMYK = 3;
  private static final int CS_YCCK = 4;
  /** Turn libjpeg warnings (truncated data, corrupt entropy coding) into errors, as the ImageIO path does. */
  private static final int FLAG_STOPONWARNING = 8192;

  private static final java.util.Map<Path, TurboJpegBackend> LOADED = new java.util.HashMap<>(); // guarded by the class

  private final MethodHandle newDecompressor; // (byte[]) -> TJDecompressor
  private final MethodHandle width;
  private final MethodHandle height;
  private final MethodHandle colorspace;
  private final MethodHandle decompress; // (d, desiredWidth, pitch, desiredHeight, pixelFormat, flags) -> byte[]
  private final MethodHandle close;

  private TurboJpegBackend(ClassLoader loader) throws ReflectiveOperationException {
    Class<?> decompressor = Class.forName("org.libjpegturbo.turbojpeg.TJDecompressor", true, loader);
    MethodHandles.Lookup lookup = MethodHandles.publicLookup();
    newDecompressor = lookup.findConstructor(decompressor, MethodType.methodType(void.class, byte[].class));
    width = lookup.findVirtual(decompressor, "getWidth", MethodType.methodType(int.class));
    height = lookup.findVirtual(decompressor, "getHeight", MethodType.methodType(int.class));
    colorspace = lookup.findVirtual(decompressor, "getColorspace", MethodType.methodType(int.class));
    decompress = lookup.findVirtual(decompressor, "decompress",
        MethodType.methodType(byte[].class, int.class, int.class, int.class, int.class, int.class));
    close = lookup.findVirtual(decompressor, "close", MethodType.methodType(void.class));
  }

  /**
   * The backend over the binding at {@code jar}, checked by decoding a tiny JPEG (which also loads
   * the native library).
   *
   * @throws IllegalStateException saying why libjpeg-turbo cannot be used
   */
  static synchronized TurboJpegBackend load(Path jar) {
    // A JVM can bind a native library to one class loader only: load each jar once, then reuse it.
    TurboJpegBackend loaded = LOADED.get(jar);
    if (loaded != null) {
      return loaded;
    }
    if (!Files.isReadable(jar)) {
      throw new IllegalStateException(jar + " not found (Debian: apt-get install libturbojpeg-java libturbojpeg0-dev)");
    }
    try {
      URLClassLoader loader = new URLClassLoader(
          new URL[] {jar.toUri().toURL()}, TurboJpegBackend.class.getClassLoader());
      TurboJpegBackend backend = new TurboJpegBackend(loader);
      backend.decode(SelfTest.JPEG, false); // loads libturbojpeg: fails here, not on the first frame
      LOADED.put(jar, backend);
      return backend;
    } catch (LinkageError | ReflectiveOperationException | RuntimeException | java.io.IOException e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new IllegalStateException("libjpeg-turbo unusable: " + message, e);
    }
  }

  /** Gray (libjpeg-turbo skips the chroma work) or interleaved RGB pixels, with their size. */
  record Pixels(int width, int height, byte[] data) {}

  Pixels decode(byte[] jpeg, boolean colour) {
    Object decompressor;
    try {
      decompressor = newDecompressor.invoke(jpeg);
    } catch (Throwable e) {
      throw corrupt(e);
    }
    try {
      int w = (int) width.invoke(decompressor);
      int h = (int) height.invoke(decompressor);
      if ((long) w * h > JpegDecoder.MAX_PIXELS) {
        throw new InvalidImageException(
            "JPEG too large: " + w + "x" + h + " exceeds " + JpegDecoder.MAX_PIXELS + " pixels");
      }
      int space = (int) colorspace.invoke(decompressor);
      if (space == CS_CMYK || space == CS_YCCK) {
        throw new InvalidImageException("unsupported JPEG colour space (not grayscale or YCbCr)");
      }
      byte[] data = (byte[]) decompress.invoke(decompressor, w, 0, h, colour ? PF_RGB : PF_GRAY, FLAG_STOPONWARNING);
      return new Pixels(w, h, data);
    } catch (InvalidImageException e) {
      throw e;
    } catch (Throwable e) {
      throw corrupt(e);
    } finally {
      try {
        close.invoke(decompressor);
      } catch (Throwable ignored) {
        // Freeing the native handle failed: nothing more to do for this frame.
      }
    }
  }

  private static InvalidImageException corrupt(Throwable e) {
    if (e instanceof Error error && !(e instanceof LinkageError)) {
      throw error;
    }
    String message = e.getMessage() == null || e.getMessage().isBlank() ? "undecodable" : e.getMessage().strip();
    return new InvalidImageException("corrupt JPEG: " + (message.length() > 120 ? message.substring(0, 120) + "…" : message), e);
  }

  /** A 1×1 gray JPEG, decoded once at load time to prove the native library works. */
  private static final class SelfTest {
    static final byte[] JPEG;

    static {
      try {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "jpeg", out);
        JPEG = out.toByteArray();
      } catch (java.io.IOException e) {
        throw new ExceptionInInitializerError(e);
      }
    }
  }
}
