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

  /**
   * A box as a tool's output holds it, the inverse of {@link #toMap}: numbers {@code x, y, w, h};
   * optional {@code score} (absent: 1), {@code class_id} (absent: -1) and {@code label} (absent: "").
   * For a tool that reads its predecessor's {@code detections}.
   *
   * @throws IllegalArgumentException naming the field that is missing or not a number
   */
  public static Detection fromMap(Map<?, ?> box) {
    Object label = box.get("label");
    return new Detection(number(box, "x", null), number(box, "y", null), number(box, "w", null),
        number(box, "h", null), number(box, "score", 1.0), (int) number(box, "class_id", -1.0),
        label == null ? "" : String.valueOf(label));
  }

  private static double number(Map<?, ?> box, String key, Double absent) {
    Object value = box.get(key);
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value == null && absent != null) {
      return absent;
    }
    throw new IllegalArgumentException("box field '" + key + "' must be a number, got " + value);
  }

  /** This box with another label (e.g. motion regions, labelled {@code motion}). */
  public Detection withLabel(String newLabel) {
    return new Detection(x, y, w, h, score, classId, newLabel);
  }
}
