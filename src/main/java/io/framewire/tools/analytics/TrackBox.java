package io.framewire.tools.analytics;

import io.framewire.api.Detection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One track on the current frame, as {@code track/bytetrack} outputs it under {@code tracks} (only
 * confirmed tracks are reported, so every one counts).
 */
record TrackBox(long trackId, String label, double x, double y, double w, double h) {

  /**
   * The predecessor's {@code tracks}.
   *
   * @throws IllegalArgumentException when there are none, or one is not a track
   */
  static List<TrackBox> read(Map<String, Object> input, String tool) {
    Object tracks = input.get("tracks");
    if (!(tracks instanceof List<?> list)) {
      throw new IllegalArgumentException(tool + " needs a predecessor that outputs 'tracks' (track/bytetrack)"
          + (tracks == null ? "" : ", got tracks = " + tracks));
    }
    List<TrackBox> boxes = new ArrayList<>(list.size());
    for (Object t : list) {
      if (!(t instanceof Map<?, ?> m) || !(m.get("track_id") instanceof Number id)) {
        throw new IllegalArgumentException("a track must be an object with track_id, x, y, w, h, got " + t);
      }
      Detection box = Detection.fromMap(m);
      boxes.add(new TrackBox(id.longValue(), box.label(), box.x(), box.y(), box.w(), box.h()));
    }
    return boxes;
  }

  /** {@code {x, y, w, h}} for an event. */
  Map<String, Object> boxMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("x", x);
    m.put("y", y);
    m.put("w", w);
    m.put("h", h);
    return m;
  }
}
