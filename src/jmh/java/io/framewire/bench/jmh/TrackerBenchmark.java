package io.framewire.bench.jmh;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.api.Detection;
import io.framewire.api.FrameTime;
import io.framewire.api.Tool;
import io.framewire.bench.TrackingBenchScenes;
import io.framewire.tools.analytics.AnalyticsPlugin;
import io.framewire.tools.track.ByteTracker;
import io.framewire.tools.track.TrackPlugin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
 * run on), and of counting them: {@link ByteTracker#update} alone; {@code track/bytetrack}'s {@code
 * apply} (reading the {@code detections} maps, writing {@code tracks}); {@code analytics/lines} and
 * {@code analytics/zones} alone, fed the tracker's recorded {@code tracks}; and {@code
 * trackLinesZones}, what a pipeline detector → track → (lines, zones) pays per frame after the
 * detector: the tracker's output merged into the payload as the engine does, then lines and zones.
 * Four lines and four zones across the 1920×1080 frame, crossed and entered as the objects move.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrackerBenchmark {

  private static final int PERIOD = 400;
  private static final long T0 = 1_700_000_000_000L;
  private static final String LINES = """
      {"lines": [
        {"name": "west", "from": [480, 0], "to": [480, 1080]},
        {"name": "middle", "from": [960, 0], "to": [960, 1080]},
        {"name": "east", "from": [1440, 0], "to": [1440, 1080]},
        {"name": "equator", "from": [0, 540], "to": [1920, 540]}]}""";
  private static final String ZONES = """
      {"dwell_s": 5, "zones": [
        {"name": "north_west", "points": [[100, 100], [800, 100], [800, 500], [100, 500]]},
        {"name": "south_east", "points": [[1100, 600], [1800, 600], [1800, 1000], [1100, 1000]]},
        {"name": "centre", "points": [[760, 340], [1160, 340], [1160, 740], [760, 740]]},
        {"name": "pentagon", "points": [[1400, 100], [1700, 200], [1650, 450], [1350, 450], [1250, 250]]}]}""";

  @Param({"10", "100"})
  public int objects;

  private List<List<Detection>> frames;
  private List<List<Map<String, Object>>> detectionMaps;
  private List<Object> trackLists; // track/bytetrack's tracks on each frame of one period, recorded
  private ByteTracker tracker;
  private Tool track;
  private Tool lines;
  private Tool zones;
  private int next;
  private long frameIndex;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    frames = TrackingBenchScenes.steady(objects, PERIOD, 42).detections();
    detectionMaps = frames.stream().map(ds -> ds.stream().map(Detection::toMap).toList()).toList();
    tracker = new ByteTracker(new ByteTracker.Config(0.5, 0.1, 0.2, 3, 30, false, 0.6));
    ObjectMapper json = new ObjectMapper();
    track = new TrackPlugin().create("bytetrack", json.readTree("{}"));
    lines = new AnalyticsPlugin().create("lines", json.readTree(LINES));
    zones = new AnalyticsPlugin().create("zones", json.readTree(ZONES));
    // One full period first: every object has its confirmed track before measuring; then one more
    // to record the tracks the analytics benchmarks replay.
    // (next runs 0 … PERIOD - 1 in each loop, so every benchmark starts on frame 0 again.)
    int events = 0;
    for (int f = 0; f < PERIOD; f++) {
      tracker.update(frames.get(f));
      for (Object out : (Object[]) trackLinesZones()) {
        events += ((List<?>) ((Map<?, ?>) out).get("events")).size();
      }
    }
    if (events == 0) {
      throw new IllegalStateException("no line or zone events in a period: the shapes miss the objects");
    }
    System.out.println(events + " line and zone events in the first period"); // the scene's activity
    trackLists = new ArrayList<>();
    int tracked = 0;
    for (int f = 0; f < PERIOD; f++) {
      tracked = tracker.update(frames.get(f)).size();
      trackLists.add(trackTool().get("tracks"));
    }
    int reported = ((List<?>) trackLists.get(PERIOD - 1)).size();
    if (tracked != objects || reported != objects) {
      throw new IllegalStateException(tracked + " and " + reported + " tracks for " + objects + " objects");
    }
  }

  /** The frame's payload as the engine builds it, with the detector's output merged in. */
  private Map<String, Object> payload(String key, Object value) {
    Map<String, Object> payload = new HashMap<>();
    payload.put("frame_index", frameIndex);
    payload.put(FrameTime.KEY, T0 + 100 * frameIndex);
    payload.put(key, value);
    return payload;
  }

  private int advance() {
    int f = next;
    next = (next + 1) % PERIOD;
    frameIndex++;
    return f;
  }

  @Benchmark
  public Object tracker() {
    return tracker.update(frames.get(advance()));
  }

  @Benchmark
  public Map<String, Object> trackTool() throws Exception {
    Map<String, Object> payload = payload("detections", detectionMaps.get(next));
    advance();
    return track.apply(payload);
  }

  @Benchmark
  public Object lines() throws Exception {
    Map<String, Object> payload = payload("tracks", trackLists.get(next));
    advance();
    return lines.apply(payload);
  }

  @Benchmark
  public Object zones() throws Exception {
    Map<String, Object> payload = payload("tracks", trackLists.get(next));
    advance();
    return zones.apply(payload);
  }

  @Benchmark
  public Object trackLinesZones() throws Exception {
    Map<String, Object> payload = payload("detections", detectionMaps.get(next));
    advance();
    Map<String, Object> afterTrack = new LinkedHashMap<>(payload);
    afterTrack.putAll(track.apply(payload));
    return new Object[] {lines.apply(afterTrack), zones.apply(afterTrack)};
  }
}
