package io.framewire.tools.analytics;

import io.framewire.api.FrameTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** The events lines and zones raise, in the shape every tool's events share (docs/analytics.md). */
final class Events {

  /** The frame an event happened on: its {@code frame_index} (null if the payload has none) and time. */
  record Stamp(Long frameIndex, long millis) {

    static Stamp of(Map<String, Object> input) {
      return new Stamp(input.get("frame_index") instanceof Number n ? n.longValue() : null, FrameTime.millis(input));
    }
  }

  private Events() {}

  /**
   * {@code {type, line|zone: name, [direction,] track_id, label, frame_index, time, box}}.
   *
   * @param shapeKey {@code line} or {@code zone}
   * @param direction {@code in}/{@code out} for lines, null for zones
   */
  static Map<String, Object> of(String type, String shapeKey, String shapeName, String direction, TrackBox track,
      Stamp stamp) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", type);
    e.put(shapeKey, shapeName);
    if (direction != null) {
      e.put("direction", direction);
    }
    e.put("track_id", track.trackId());
    e.put("label", track.label());
    e.put("frame_index", stamp.frameIndex());
    e.put("time", FrameTime.iso(stamp.millis()));
    e.put("box", track.boxMap());
    return e;
  }
}
