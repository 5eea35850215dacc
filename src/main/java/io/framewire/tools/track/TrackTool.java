package io.framewire.tools.track;

import io.framewire.api.Detection;
import io.framewire.api.FrameTime;
import io.framewire.api.Tool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code track/bytetrack} on one stream: reads the boxes of its predecessors ({@code detections},
 * as {@code onnx/detect} outputs them, and {@code motion.regions} of {@code motion/detect}, labelled
 * {@code motion} with score 1), runs {@link ByteTracker}, and outputs {@code tracks} and the events
 * {@code track_started} (a track confirmed, reported for the first time) and {@code track_ended} (a
 * confirmed track dropped after {@code track_buffer} frames lost).
 */
final class TrackTool implements Tool {

  static final String MOTION_LABEL = "motion";

  private final ByteTracker tracker;

  TrackTool(ByteTracker.Config config) {
    this.tracker = new ByteTracker(config);
  }

  @Override
  public Map<String, Object> apply(Map<String, Object> input) {
    Object detections = input.get("detections");
    Object motion = input.get("motion");
    if (detections == null && !(motion instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(
          "track/bytetrack needs a predecessor that outputs 'detections' (onnx/detect) or 'motion' (motion/detect)");
    }
    List<Detection> boxes = new ArrayList<>();
    if (detections != null) {
      for (Object d : list(detections, "detections")) {
        boxes.add(detection(d, null));
      }
    }
    if (motion instanceof Map<?, ?> m && m.get("regions") != null) {
      for (Object r : list(m.get("regions"), "motion.regions")) {
        boxes.add(detection(r, MOTION_LABEL));
      }
    }
    ByteTracker.Update update = tracker.step(boxes);
    List<Map<String, Object>> tracks = new ArrayList<>();
    for (ByteTracker.Track t : update.tracks()) {
      tracks.add(trackMap(t));
    }
    List<Map<String, Object>> events = new ArrayList<>();
    Long frameIndex = input.get("frame_index") instanceof Number n ? n.longValue() : null;
    String time = FrameTime.iso(FrameTime.millis(input));
    update.started().forEach(t -> events.add(event("track_started", t, frameIndex, time)));
    update.ended().forEach(t -> events.add(event("track_ended", t, frameIndex, time)));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("tracks", tracks);
    result.put("events", events);
    return result;
  }

  /** Keeps the previous version's tracks and next id, so ids continue across a live edit. */
  @Override
  public void continueFrom(Tool previous) {
    if (previous instanceof TrackTool old) {
      tracker.continueFrom(old.tracker);
    }
  }

  private static Map<String, Object> trackMap(ByteTracker.Track t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("track_id", t.trackId());
    out.put("label", t.label());
    out.put("score", round(t.score(), 4));
    out.put("x", round(t.x(), 1));
    out.put("y", round(t.y(), 1));
    out.put("w", round(t.w(), 1));
    out.put("h", round(t.h(), 1));
    out.put("age", t.age());
    out.put("hits", t.hits());
    out.put("vx", round(t.vx(), 2));
    out.put("vy", round(t.vy(), 2));
    return out;
  }

  /**
   * {@code {type, track_id, label, frame_index, time, box}}: a started track's box is its first
   * reported one, an ended track's its last.
   */
  private static Map<String, Object> event(String type, ByteTracker.Track t, Long frameIndex, String time) {
    Map<String, Object> box = new LinkedHashMap<>();
    box.put("x", round(t.x(), 1));
    box.put("y", round(t.y(), 1));
    box.put("w", round(t.w(), 1));
    box.put("h", round(t.h(), 1));
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", type);
    e.put("track_id", t.trackId());
    e.put("label", t.label());
    e.put("frame_index", frameIndex);
    e.put("time", time);
    e.put("box", box);
    return e;
  }

  private static List<?> list(Object value, String key) {
    if (!(value instanceof List<?> l)) {
      throw new IllegalArgumentException("'" + key + "' must be a list of boxes, got " + value);
    }
    return l;
  }

  /** A box map ({@link Detection#fromMap}); {@code label}, when given, overrides its own. */
  private static Detection detection(Object value, String label) {
    if (!(value instanceof Map<?, ?> m)) {
      throw new IllegalArgumentException("a box must be an object with x, y, w, h, got " + value);
    }
    Detection box = Detection.fromMap(m);
    return label == null ? box : box.withLabel(label);
  }

  private static double round(double v, int decimals) {
    double f = Math.pow(10, decimals);
    return Math.round(v * f) / f;
  }
}
