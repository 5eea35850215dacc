package io.framewire.bench;

import io.framewire.testing.TestJpegs;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Throwaway decoder measurement (see docs/tools.md). Run by hand:
 * {@code java -cp target/classes:target/test-classes:$(deps) io.framewire.bench.DecoderBench}.
 * Each variant returns a checksum so the JIT cannot drop the work.
 */
public final class DecoderBench {

  public static void main(String[] args) throws Exception {
    nu.pattern.OpenCV.loadLocally();
    Map<String, ToIntFunction<byte[]>> variants = new LinkedHashMap<>();
    variants.put("imageio read() BGR + luma loop", DecoderBench::imageioReadBgr);
    variants.put("imageio read() dest TYPE_BYTE_GRAY", b -> imageioReadGray(b, 1));
    variants.put("imageio read() dest GRAY + subsampling 2", b -> imageioReadGray(b, 2));
    variants.put("imageio readRaster() band 0 (Y)", b -> imageioRaster(b, 1));
    variants.put("imageio readRaster() subsampling 2", b -> imageioRaster(b, 2));
    variants.put("opencv IMREAD_GRAYSCALE + copy out", b -> opencv(b, Imgcodecs.IMREAD_GRAYSCALE));
    variants.put("opencv IMREAD_REDUCED_GRAYSCALE_2 + copy", b -> opencv(b, Imgcodecs.IMREAD_REDUCED_GRAYSCALE_2));
    variants.put("opencv imdecode only (no JNI copies)", DecoderBench::opencvDecodeOnly);
    for (String line : org.opencv.core.Core.getBuildInformation().split("\n")) {
      if (line.contains("JPEG") || line.contains("CPU/HW") || line.contains("Version control")) {
        System.out.println("opencv build:" + line);
      }
    }
    int[][] sizes = {{640, 480}, {1280, 720}};
    for (int[] size : sizes) {
      List<byte[]> frames = new ArrayList<>();
      for (int seed = 0; seed < 8; seed++) {
        frames.add(TestJpegs.scene(size[0], size[1], seed));
      }
      double kb = frames.stream().mapToInt(f -> f.length).average().orElse(0) / 1024;
      System.out.printf("%dx%d, 8 frames, mean %.1f KB%n", size[0], size[1], kb);
      measure(frames, variants);
    }
  }

  /**
   * The machine is shared (other builds run beside this), so: variants are interleaved round by
   * round, so that background load hits all of them alike, and time is this thread's CPU time, not
   * wall time. 1 warm-up round, then 6 rounds of 1 s each; min and median of the rounds.
   */
  private static void measure(List<byte[]> frames, Map<String, ToIntFunction<byte[]>> variants) {
    Map<String, double[]> rounds = new LinkedHashMap<>();
    variants.keySet().forEach(name -> rounds.put(name, new double[6]));
    variants.forEach((name, decode) -> run(frames, decode, 1_000));
    for (int r = 0; r < 6; r++) {
      for (var v : variants.entrySet()) {
        rounds.get(v.getKey())[r] = run(frames, v.getValue(), 1_000);
      }
    }
    rounds.forEach((name, values) -> {
      Arrays.sort(values);
      System.out.printf("  %-45s min %6.3f  median %6.3f ms CPU/decode%n", name, values[0], values[values.length / 2]);
    });
  }

  static int sink;

  private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

  private static double run(List<byte[]> frames, ToIntFunction<byte[]> decode, long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000;
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    long n = 0;
    int acc = 0;
    while (System.nanoTime() < deadline) {
      acc += decode.applyAsInt(frames.get((int) (n++ % frames.size())));
    }
    sink += acc;
    return (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e6 / n;
  }

  private static ImageReader reader(byte[] jpeg) {
    ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg));
    ImageReader reader = ImageIO.getImageReadersByFormatName("jpeg").next();
    reader.setInput(in, true, true);
    return reader;
  }

  private static int imageioReadBgr(byte[] jpeg) {
    ImageReader reader = reader(jpeg);
    try {
      BufferedImage image = reader.read(0);
      byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
      byte[] luma = new byte[image.getWidth() * image.getHeight()];
      for (int i = 0, p = 0; i < luma.length; i++, p += 3) {
        // BT.601 in fixed point, as JPEG's own YCbCr uses
        luma[i] = (byte) ((29 * (bgr[p] & 0xFF) + 150 * (bgr[p + 1] & 0xFF) + 77 * (bgr[p + 2] & 0xFF)) >> 8);
      }
      return luma[luma.length / 2];
    } catch (Exception e) {
      throw new RuntimeException(e);
    } finally {
      reader.dispose();
    }
  }

  private static int imageioReadGray(byte[] jpeg, int step) {
    ImageReader reader = reader(jpeg);
    try {
      ImageReadParam param = reader.getDefaultReadParam();
      param.setDestinationType(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_BYTE_GRAY));
      param.setSourceSubsampling(step, step, 0, 0);
      BufferedImage image = reader.read(0, param);
      byte[] luma = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
      return luma[luma.length / 2];
    } catch (Exception e) {
      throw new RuntimeException(e);
    } finally {
      reader.dispose();
    }
  }

  private static int imageioRaster(byte[] jpeg, int step) {
    ImageReader reader = reader(jpeg);
    try {
      ImageReadParam param = reader.getDefaultReadParam();
      param.setSourceSubsampling(step, step, 0, 0);
      Raster raster = reader.readRaster(0, param);
      int w = raster.getWidth();
      int h = raster.getHeight();
      byte[] luma = new byte[w * h];
      copyBand(raster, luma);
      return luma[luma.length / 2];
    } catch (Exception e) {
      throw new RuntimeException(e);
    } finally {
      reader.dispose();
    }
  }

  // Copies band 0 (Y of YCbCr) of an interleaved byte raster into luma.
  private static void copyBand(Raster raster, byte[] luma) {
    byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
    int bands = raster.getNumBands();
    for (int i = 0, p = 0; i < luma.length; i++, p += bands) {
      luma[i] = data[p];
    }
  }

  private static final Map<byte[], MatOfByte> PREBUILT = new java.util.IdentityHashMap<>();

  // The decode alone: input Mat built once per frame, result not copied to the Java heap.
  private static int opencvDecodeOnly(byte[] jpeg) {
    MatOfByte buf = PREBUILT.computeIfAbsent(jpeg, MatOfByte::new);
    Mat mat = Imgcodecs.imdecode(buf, Imgcodecs.IMREAD_GRAYSCALE);
    int rows = mat.rows();
    mat.release();
    return rows;
  }

  private static int opencv(byte[] jpeg, int flags) {
    MatOfByte buf = new MatOfByte(jpeg);
    Mat mat = Imgcodecs.imdecode(buf, flags);
    try {
      if (mat.empty() || mat.type() != CvType.CV_8UC1) {
        throw new IllegalStateException("decode failed");
      }
      byte[] luma = new byte[(int) mat.total()];
      mat.get(0, 0, luma);
      return luma[luma.length / 2];
    } finally {
      mat.release();
      buf.release();
    }
  }
}
