package io.framewire.bench.jmh;

import io.framewire.testing.TestJpegs;
import io.framewire.api.image.JpegDecoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JPEG decode per frame, to gray and to RGB, with each library in the same run: the JDK's ImageIO
 * and libjpeg-turbo (Debian's libturbojpeg-java). Frames are photo-like scenes (gradients, shapes
 * and noise) at 640×480 and 1280×720.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class JpegDecodeBenchmark {

  @Param({"IMAGEIO", "TURBOJPEG"})
  public JpegDecoder.Backend backend;

  @Param({"640x480", "1280x720"})
  public String size;

  private byte[] jpeg;

  @Setup
  public void setUp() {
    String choice = backend == JpegDecoder.Backend.IMAGEIO ? "imageio" : "turbojpeg";
    if (JpegDecoder.configure(choice, JpegDecoder.DEBIAN_TURBOJPEG_JAR) != backend) {
      throw new IllegalStateException("could not switch to " + backend);
    }
    String[] wh = size.split("x");
    jpeg = TestJpegs.scene(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), 1);
    System.out.println("# frame " + size + ": " + jpeg.length + " bytes");
  }

  @Benchmark
  public Object gray() {
    return JpegDecoder.decode(jpeg);
  }

  @Benchmark
  public Object rgb() {
    return JpegDecoder.decodeRgb(jpeg);
  }
}
