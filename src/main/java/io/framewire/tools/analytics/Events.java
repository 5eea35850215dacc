package io.framewire.tools.analytics;

import io.framewire.api.FrameTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
   * {@code {type, line|zone: name, [direction,] track_id, label, frame_index, time, box, geometry}}.
   *
   * @param shapeKey {@code line} or {@code zone}
   * @param direction {@code in}/{@code out} for lines, null for zones
   * @param geometry the line or zone where it is on this frame, in pixels ({@link #lineGeometry}, {@link
   *     #zoneGeometry}); shared by the events of one shape, so never changed
   */
  static Map<String, Object> of(String type, String shapeKey, String shapeName, String direction, TrackBox track,
      Stamp stamp, Map<String, Object> geometry) {
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
    e.put("geometry", geometry);
    return e;
  }

  /** {@code {from: [x, y], to: [x, y]}}, in frame pixels. */
  static Map<String, Object> lineGeometry(Point from, Point to) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("from", xy(from));
    g.put("to", xy(to));
    return Collections.unmodifiableMap(g);
  }

  /** {@code {points: [[x, y], …]}}, in frame pixels. */
  static Map<String, Object> zoneGeometry(List<Point> polygon) {
    Map<String, Object> g = new LinkedHashMap<>();
    g.put("points", polygon.stream().map(Events::xy).toList());
    return Collections.unmodifiableMap(g);
  }

  /**
   * {@code [x, y]} rounded to 1/100 pixel: a relative coordinate scaled by the frame's size is then
   * {@code 192.0}, not {@code 192.00000000000003}.
   */
  private static List<Double> xy(Point p) {
    return List.of(Math.round(p.x() * 100) / 100.0, Math.round(p.y() * 100) / 100.0);
  }
}
