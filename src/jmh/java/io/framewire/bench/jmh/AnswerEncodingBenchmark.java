package io.framewire.bench.jmh;

import io.framewire.streaming.Answer;
import io.framewire.streaming.AnswerEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JSON encoding of one answer: the echo pipeline's small result, a larger result shaped like a
 * detector's (a list of boxes), and a dropped answer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AnswerEncodingBenchmark {

  private Answer echoResult;
  private Answer detections;
  private Answer dropped;

  @Setup
  public void setUp() {
    echoResult = new Answer.Result(1234, Map.of("frame_index", 1234L, "bytes", 21504));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("motion", true);
    result.put("score", 0.4375);
    result.put("boxes", List.of(
        Map.of("x", 10, "y", 20, "w", 64, "h", 48, "label", "person"),
        Map.of("x", 200, "y", 120, "w", 32, "h", 32, "label", "qr"),
        Map.of("x", 400, "y", 300, "w", 80, "h", 60, "label", "car")));
    detections = new Answer.Result(1234, result);
    dropped = new Answer.Dropped(1234);
  }

  @Benchmark
  public String echoResult() {
    return AnswerEncoder.encode(echoResult);
  }

  @Benchmark
  public String detectionsResult() {
    return AnswerEncoder.encode(detections);
  }

  @Benchmark
  public String droppedAnswer() {
    return AnswerEncoder.encode(dropped);
  }
}
