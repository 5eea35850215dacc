package io.framewire.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.api.Detection;
import io.framewire.api.Tool;
import io.framewire.bench.TrackingBenchScenes;
import io.framewire.tools.track.ByteTracker;
import io.framewire.tools.track.TrackPlugin;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-frame cost of tracking {@code objects} objects, each detected on every frame (a periodic
 * scene, {@code TrackingBenchScenes.steady}: the frame after the last is the first again, so the tracks
 * run on): {@link ByteTracker#update} alone, and {@code track/bytetrack}'s {@code apply} (reading the
 * {@code detections} maps, writing {@code tracks}), what a pipeline pays per frame.
 *
 * <p>TODO(analytics): when {@code analytics/lines} and {@code analytics/zones} are on main, add
 * benchmarks of each fed this scene's {@code tracks} here (a few lines and zones across the frame).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrackerBenchmark {

  private static final int PERIOD = 400;

  @Param({"10", "100"})
  public int objects;

  private List<List<Detection>> frames;
  private List<Map<String, Object>> payloads;
  private ByteTracker tracker;
  private Tool tool;
  private int next;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    frames = TrackingBenchScenes.steady(objects, PERIOD, 42).detections();
    payloads = frames.stream().map(TrackerBenchmark::payload).toList();
    tracker = new ByteTracker(new ByteTracker.Config(0.5, 0.1, 0.2, 3, 30, false, 0.6));
    tool = new TrackPlugin().create("bytetrack", new ObjectMapper().readTree("{}"));
    // One full period first: every object has its confirmed track before measuring.
    for (int f = 0; f < PERIOD; f++) {
      tracker.update(frames.get(f));
      tool.apply(payloads.get(f));
    }
    int tracked = tracker.update(frames.get(0)).size();
    if (tracked != objects) {
      throw new IllegalStateException(tracked + " tracks for " + objects + " objects");
    }
    next = 1;
  }

  private static Map<String, Object> payload(List<Detection> detections) {
    Map<String, Object> payload = new HashMap<>();
    payload.put("detections", detections.stream().map(Detection::toMap).toList());
    return payload;
  }

  @Benchmark
  public Object tracker() {
    List<ByteTracker.Track> tracks = tracker.update(frames.get(next));
    next = (next + 1) % PERIOD;
    return tracks;
  }

  @Benchmark
  public Object trackTool() throws Exception {
    Map<String, Object> out = tool.apply(payloads.get(next));
    next = (next + 1) % PERIOD;
    return out;
  }
}
