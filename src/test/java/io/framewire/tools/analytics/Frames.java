package io.framewire.tools.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.api.FrameTime;
import io.framewire.api.Tool;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Synthetic {@code tracks} payloads, as track/bytetrack outputs them, for driving lines and zones directly. */
final class Frames {

  static final ObjectMapper JSON = new ObjectMapper();
  /** Frame 0's time; frames are 100 ms apart (10 fps). */
  static final long T0 = 1_700_000_000_000L;

  private Frames() {}

  /** A 20×40 box whose bottom centre (the default anchor) is at ({@code ax}, {@code ay}). */
  static Map<String, Object> track(long id, String label, double ax, double ay) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("track_id", (int) id);
    t.put("label", label);
    t.put("score", 0.9);
    t.put("x", ax - 10);
    t.put("y", ay - 40);
    t.put("w", 20.0);
    t.put("h", 40.0);
    t.put("age", 5);
    t.put("hits", 5);
    t.put("vx", 0.0);
    t.put("vy", 0.0);
    return t;
  }

  /** Frame {@code index}'s payload at {@code T0 + 100 ms × index}. */
  @SafeVarargs
  static Map<String, Object> frame(long index, Map<String, Object>... tracks) {
    Map<String, Object> input = new HashMap<>();
    input.put("frame_index", index);
    input.put(FrameTime.KEY, T0 + 100 * index);
    input.put("tracks", List.of(tracks));
    return input;
  }

  static Tool create(String toolId, String params) {
    try {
      return new AnalyticsPlugin().create(toolId, JSON.readTree(params));
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> events(Map<String, Object> output) {
    return (List<Map<String, Object>>) output.get("events");
  }

  /** {@code output.lines.<line>} or {@code output.zones.<zone>}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> counts(Map<String, Object> output, String shape) {
    Map<String, Object> all = (Map<String, Object>) (output.containsKey("lines") ? output.get("lines") : output.get("zones"));
    return (Map<String, Object>) all.get(shape);
  }
}
