package io.framewire.websocket;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.impl.engine.ws.FrameEventParser$;
import org.apache.pekko.util.ByteString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Unmasking a WebSocket payload: framewire's {@link Unmasking#unmask} against pekko-http's. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class UnmaskBenchmark {

  @Param({"21504"})
  int size;

  ByteString payload;
  int mask;

  @Setup
  public void setup() {
    byte[] bytes = new byte[size + 10];
    new Random(1).nextBytes(bytes);
    payload = ByteString.fromArray(bytes).slice(10, size + 10); // a slice, as the frame parser hands it over
    mask = 0x1234abcd;
  }

  @Benchmark
  public ByteString framewire() {
    return Unmasking.unmask(payload, mask, 0);
  }

  @Benchmark
  public Object pekkoHttp() {
    return FrameEventParser$.MODULE$.mask(payload, mask);
  }

  @Benchmark
  public ByteString byteBuffers() {
    ByteBuffer in = payload.asByteBuffer();
    byte[] out = new byte[in.remaining()];
    ByteBuffer dst = ByteBuffer.wrap(out);
    long m8 = ((long) mask << 32) | (mask & 0xFFFFFFFFL);
    while (in.remaining() >= 8) {
      dst.putLong(in.getLong() ^ m8);
    }
    int i = dst.position();
    while (in.hasRemaining()) {
      out[i] = (byte) (in.get() ^ (mask >>> (24 - 8 * (i & 3))));
      i++;
    }
    return ByteString.fromArrayUnsafe(out);
  }

  @Benchmark
  public ByteString copyThenBytes() {
    byte[] out = new byte[payload.size()];
    payload.asByteBuffer().get(out);
    byte m0 = (byte) (mask >>> 24);
    byte m1 = (byte) (mask >>> 16);
    byte m2 = (byte) (mask >>> 8);
    byte m3 = (byte) mask;
    int i = 0;
    for (int end = out.length - 3; i < end; i += 4) {
      out[i] ^= m0;
      out[i + 1] ^= m1;
      out[i + 2] ^= m2;
      out[i + 3] ^= m3;
    }
    for (; i < out.length; i++) {
      out[i] ^= (byte) (mask >>> (24 - 8 * (i & 3)));
    }
    return ByteString.fromArrayUnsafe(out);
  }
}
