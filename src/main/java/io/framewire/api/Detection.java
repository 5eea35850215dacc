package io.framewire.api;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One detected object, in the shape the browser overlay draws ({@code web/overlay.js}): a tool
 * returns {@code Map.of("detections", list of toMap())} and the overlay draws each entry as a box
 * labelled {@code "label 87%"}.
 *
 * @param x left edge in frame pixels
 * @param y top edge in frame pixels
 * @param w width in pixels, not negative
 * @param h height in pixels, not negative
 * @param score confidence in [0, 1]
 * @param classId the model's class index (-1 when the tool has no classes)
 * @param label human-readable class name (empty when unknown), never null
 */
public record Detection(double x, double y, double w, double h, double score, int classId, String label) {

  public Detection {
    if (!Double.isFinite(x) || !Double.isFinite(y) || !Double.isFinite(w) || !Double.isFinite(h)) {
      throw new IllegalArgumentException("box coordinates must be finite numbers");
    }
    if (w < 0 || h < 0) {
      throw new IllegalArgumentException("box size must not be negative, got " + w + "x" + h);
    }
    if (!(score >= 0 && score <= 1)) {
      throw new IllegalArgumentException("score must be in [0, 1], got " + score);
    }
    label = label == null ? "" : label;
  }

  /**
   * The JSON-safe map a tool returns: {@code x, y, w, h, score, class_id, label} (keys in that
   * order), exactly what the overlay reads.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("x", x);
    m.put("y", y);
    m.put("w", w);
    m.put("h", h);
    m.put("score", score);
    m.put("class_id", classId);
    m.put("label", label);
    return m;
  }
}
