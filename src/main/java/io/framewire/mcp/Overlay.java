package io.framewire.mcp;

import io.framewire.eventstore.SnapshotPainter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A result's boxes drawn on its frame, as the page's overlay draws them ({@code web/overlay.js}'s
 * {@code collectBoxes}): motion regions, decoded codes with their text, {@code detections} with label
 * and score, {@code tracks} with their id. The drawing is the event snapshots' ({@link SnapshotPainter}).
 */
final class Overlay {

  private Overlay() {}

  /** The boxes to draw for one pipeline result, whatever pipeline produced it. */
  static List<SnapshotPainter.Mark> marks(Map<String, Object> result) {
    List<SnapshotPainter.Mark> marks = new ArrayList<>();
    if (result.get("motion") instanceof Map<?, ?> motion && motion.get("regions") instanceof List<?> regions) {
      for (Object region : regions) {
        box(region, "motion", marks);
      }
    }
    if (result.get("codes") instanceof List<?> codes) {
      for (Object code : codes) {
        if (code instanceof Map<?, ?> c) {
          String text = c.get("text") instanceof String t ? t : "";
          box(c.get("box"), c.get("format") != null ? c.get("format") + ": " + text : text, marks);
        }
      }
    }
    if (result.get("detections") instanceof List<?> detections) {
      for (Object detection : detections) {
        if (detection instanceof Map<?, ?> d) {
          String label = d.get("label") instanceof String l ? l : "";
          if (d.get("score") instanceof Number score) {
            label = (label + " " + String.format(Locale.ROOT, "%.0f%%", score.doubleValue() * 100)).trim();
          }
          box(d, label, marks);
        }
      }
    }
    if (result.get("tracks") instanceof List<?> tracks) {
      for (Object track : tracks) {
        if (track instanceof Map<?, ?> t && t.get("track_id") != null) {
          String label = t.get("label") instanceof String l && !l.isEmpty() ? " " + l : "";
          box(t, "#" + t.get("track_id") + label, marks);
        }
      }
    }
    return marks;
  }

  /** {@code jpeg} with {@code marks} drawn, as JPEG; throws for bytes that are no image. */
  static byte[] draw(byte[] jpeg, List<SnapshotPainter.Mark> marks) throws IOException {
    return SnapshotPainter.paintMarks(SnapshotPainter.decode(jpeg), marks);
  }

  private static void box(Object value, String label, List<SnapshotPainter.Mark> marks) {
    if (value instanceof Map<?, ?> b && b.get("x") instanceof Number x && b.get("y") instanceof Number y
        && b.get("w") instanceof Number w && b.get("h") instanceof Number h
        && Double.isFinite(x.doubleValue()) && Double.isFinite(y.doubleValue())
        && Double.isFinite(w.doubleValue()) && Double.isFinite(h.doubleValue())) {
      marks.add(new SnapshotPainter.Mark((int) Math.round(x.doubleValue()), (int) Math.round(y.doubleValue()),
          (int) Math.round(w.doubleValue()), (int) Math.round(h.doubleValue()), label));
    }
  }
}
