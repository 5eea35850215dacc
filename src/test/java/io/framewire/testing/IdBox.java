package io.framewire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.Detection;
import java.util.ArrayList;
import java.util.List;

/**
 * A box with an identity, in frame pixels: a ground-truth object of a {@link TrackingScene}
 * ({@code id} = the object's id) or a tracker's output ({@code id} = the track id), as
 * {@link TrackingMetrics} compares them.
 *
 * @param id the object's or the track's id
 * @param label the class name ("" when unknown)
 * @param x left edge
 * @param y top edge
 * @param w width, not negative
 * @param h height, not negative
 */
public record IdBox(int id, String label, double x, double y, double w, double h) {

  public IdBox {
    if (!(w >= 0 && h >= 0)) {
      throw new IllegalArgumentException("box size must not be negative, got " + w + "x" + h);
    }
    label = label == null ? "" : label;
  }

  /** Intersection over union; 0 when either box is empty. */
  public double iou(IdBox other) {
    double ix = Math.min(x + w, other.x + other.w) - Math.max(x, other.x);
    double iy = Math.min(y + h, other.y + other.h) - Math.max(y, other.y);
    if (ix <= 0 || iy <= 0) {
      return 0;
    }
    double inter = ix * iy;
    return inter / (w * h + other.w * other.h - inter);
  }

  /** A detection's box with the given id. */
  public static IdBox of(int id, Detection d) {
    return new IdBox(id, d.label(), d.x(), d.y(), d.w(), d.h());
  }

  /**
   * The {@code tracks} of a pipeline result as {@code track/bytetrack} outputs them
   * ({@code track_id, label, x, y, w, h}); none when the result has no {@code tracks}.
   */
  public static List<IdBox> tracks(JsonNode result) {
    List<IdBox> boxes = new ArrayList<>();
    for (JsonNode t : result.path("tracks")) {
      boxes.add(new IdBox(t.get("track_id").asInt(), t.path("label").asText(""), t.get("x").asDouble(),
          t.get("y").asDouble(), t.get("w").asDouble(), t.get("h").asDouble()));
    }
    return boxes;
  }
}
