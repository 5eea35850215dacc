package io.framewire.bench.jmh;

import io.framewire.bench.JpegGenerator;
import io.framewire.streaming.FrameValidator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-frame check before a pipeline runs, on the same 21 KB JPEG the load benchmarks send,
 * and on a frame refused at the first byte (the cheapest path, for comparison).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FrameValidatorBenchmark {

  private FrameValidator validator;
  private byte[] jpeg;
  private byte[] notJpeg;

  @Setup
  public void setUp() {
    validator = new FrameValidator(5 * 1024 * 1024, 40_000_000L);
    jpeg = JpegGenerator.generate(21 * 1024);
    notJpeg = new byte[21 * 1024];
    if (validator.validate(0, jpeg).isPresent()) {
      throw new IllegalStateException("the generated JPEG must be valid");
    }
  }

  @Benchmark
  public Object validJpeg() {
    return validator.validate(42, jpeg);
  }

  @Benchmark
  public Object notAJpeg() {
    return validator.validate(42, notJpeg);
  }
}
