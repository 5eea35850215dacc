package io.framewire.eventstore;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws an event onto its frame: the event's box and a label {@code type #track_id label
 * line|zone direction} above it. Java2D, headless. The line's or zone's geometry is not drawn: it
 * lives in the pipeline version's node parameters, which the store does not read; the label names it.
 */
final class SnapshotPainter {

  static {
    // Before any AWT class loads: a server has no display.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final Logger log = LoggerFactory.getLogger(SnapshotPainter.class);
  private static final Color BOX = new Color(255, 64, 32);
  private static volatile boolean textWorks = true; // a JRE without fonts draws boxes only

  private SnapshotPainter() {}

  /** The frame decoded to an RGB picture (a gray JPEG too); throws for bytes that are no JPEG. */
  static BufferedImage decode(byte[] jpeg) throws IOException {
    BufferedImage read = ImageIO.read(new ByteArrayInputStream(jpeg));
    if (read == null) {
      throw new IOException("the frame is not a readable image");
    }
    BufferedImage rgb = new BufferedImage(read.getWidth(), read.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = rgb.createGraphics();
    g.drawImage(read, 0, 0, null);
    g.dispose();
    return rgb;
  }

  /** {@code frame} with {@code event} drawn, as JPEG; {@code frame} is not changed. */
  static byte[] paint(BufferedImage frame, Map<String, Object> event) throws IOException {
    BufferedImage out = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(frame, 0, 0, null);
      g.setColor(BOX);
      int stroke = Math.max(2, Math.min(frame.getWidth(), frame.getHeight()) / 240);
      g.setStroke(new BasicStroke(stroke));
      int[] box = box(event.get("box"));
      if (box != null) {
        g.drawRect(box[0], box[1], box[2], box[3]);
      }
      if (textWorks) {
        try {
          label(g, label(event), box == null ? 0 : box[0], box == null ? 0 : box[1], stroke);
        } catch (RuntimeException | Error e) { // no fonts in this JRE: boxes only from now on
          textWorks = false;
          log.warn("snapshots: labels cannot be drawn ({}); drawing boxes only", e.toString());
        }
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
    if (!ImageIO.write(out, "jpg", bytes)) {
      throw new IOException("no JPEG writer in this JRE");
    }
    return bytes.toByteArray();
  }

  /** {@code type #track_id label line|zone direction}, the parts the event has. */
  static String label(Map<String, Object> event) {
    List<String> parts = new ArrayList<>();
    for (String key : List.of("type", "track_id", "label", "line", "zone", "direction")) {
      Object value = event.get(key);
      if (value != null) {
        parts.add(key.equals("track_id") ? "#" + value : value.toString());
      }
    }
    return String.join(" ", parts);
  }

  private static void label(Graphics2D g, String text, int x, int y, int stroke) {
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 6 * stroke + 2));
    FontMetrics m = g.getFontMetrics();
    int top = Math.max(0, y - m.getHeight() - stroke);
    g.fillRect(x, top, m.stringWidth(text) + 2 * stroke, m.getHeight() + stroke);
    g.setColor(Color.WHITE);
    g.drawString(text, x + stroke, top + m.getAscent());
  }

  /** {@code {x, y, w, h}} as pixels, or null when the event has no box. */
  static int[] box(Object value) {
    if (value instanceof Map<?, ?> map && map.get("x") instanceof Number x && map.get("y") instanceof Number y
        && map.get("w") instanceof Number w && map.get("h") instanceof Number h) {
      return new int[] {(int) Math.round(x.doubleValue()), (int) Math.round(y.doubleValue()),
          (int) Math.round(w.doubleValue()), (int) Math.round(h.doubleValue())};
    }
    return null;
  }
}
