package io.framewire.eventstore;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
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
 * Draws an event onto its frame: the line or zone of the event's {@code geometry} when it has one (a
 * line with an arrow into its {@code in} side, a zone's outline), the event's box, and a label
 * {@code type #track_id label line|zone direction} above the box. Java2D, headless. The geometry
 * comes with the event (the analytics tools put it there, in frame pixels): the store reads no
 * pipeline parameters. Also draws a frame's boxes for whoever shows a result as a picture ({@link
 * #paintMarks}: the MCP tools).
 */
public final class SnapshotPainter {

  static {
    // Before any AWT class loads: a server has no display.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final Logger log = LoggerFactory.getLogger(SnapshotPainter.class);
  private static final Color BOX = new Color(255, 64, 32);
  private static final Color SHAPE = new Color(255, 220, 0);
  private static volatile boolean textWorks = true; // a JRE without fonts draws boxes only

  private SnapshotPainter() {}

  /**
   * A box to draw, in frame pixels, with its label (empty: none).
   *
   * @param x left edge
   * @param y top edge
   * @param w width
   * @param h height
   */
  public record Mark(int x, int y, int w, int h, String label) {}

  /** The frame decoded to an RGB picture (a gray JPEG too); throws for bytes that are no JPEG. */
  public static BufferedImage decode(byte[] jpeg) throws IOException {
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
    int[] box = box(event.get("box"));
    Mark mark = box == null ? new Mark(0, 0, -1, -1, label(event)) : new Mark(box[0], box[1], box[2], box[3], label(event));
    return draw(frame, event.get("geometry"), List.of(mark));
  }

  /** {@code frame} with {@code marks} drawn, each box with its label, as JPEG; {@code frame} is not changed. */
  public static byte[] paintMarks(BufferedImage frame, List<Mark> marks) throws IOException {
    return draw(frame, null, marks);
  }

  /** A mark with a negative width draws its label alone, at its corner. */
  private static byte[] draw(BufferedImage frame, Object geometry, List<Mark> marks) throws IOException {
    BufferedImage out = new BufferedImage(frame.getWidth(), frame.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.drawImage(frame, 0, 0, null);
      int stroke = Math.max(2, Math.min(frame.getWidth(), frame.getHeight()) / 240);
      g.setStroke(new BasicStroke(stroke));
      shape(g, geometry, stroke);
      for (Mark mark : marks) {
        g.setColor(BOX);
        if (mark.w() >= 0) {
          g.drawRect(mark.x(), mark.y(), mark.w(), mark.h());
        }
        if (textWorks && !mark.label().isEmpty()) {
          try {
            label(g, mark.label(), mark.x(), mark.y(), stroke);
          } catch (RuntimeException | Error e) { // no fonts in this JRE: boxes only from now on
            textWorks = false;
            log.warn("snapshots: labels cannot be drawn ({}); drawing boxes only", e.toString());
          }
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

  /**
   * Draws {@code {from, to}} as a line with an arrow from its middle into the {@code in} side (the
   * right of from → to as seen in the image, y down: docs/analytics.md), or {@code {points}} as a
   * closed outline; draws nothing for anything else.
   */
  private static void shape(Graphics2D g, Object geometry, int stroke) {
    if (!(geometry instanceof Map<?, ?> map)) {
      return;
    }
    g.setColor(SHAPE);
    double[] from = xy(map.get("from"));
    double[] to = xy(map.get("to"));
    if (from != null && to != null) {
      g.draw(new Line2D.Double(from[0], from[1], to[0], to[1]));
      double dx = to[0] - from[0];
      double dy = to[1] - from[1];
      double length = Math.hypot(dx, dy);
      if (length > 0) {
        // (-dy, dx) is the unit normal on the right of from → to when y grows downwards.
        double nx = -dy / length;
        double ny = dx / length;
        double arrow = Math.min(length / 3, 12.0 * stroke);
        double mx = (from[0] + to[0]) / 2;
        double my = (from[1] + to[1]) / 2;
        double tipX = mx + nx * arrow;
        double tipY = my + ny * arrow;
        double head = arrow / 3;
        g.draw(new Line2D.Double(mx, my, tipX, tipY));
        Path2D.Double tip = new Path2D.Double();
        tip.moveTo(tipX, tipY);
        tip.lineTo(tipX - nx * head + ny * head, tipY - ny * head - nx * head);
        tip.lineTo(tipX - nx * head - ny * head, tipY - ny * head + nx * head);
        tip.closePath();
        g.fill(tip);
      }
      return;
    }
    if (map.get("points") instanceof List<?> points && points.size() >= 3) {
      Path2D.Double outline = new Path2D.Double();
      for (Object point : points) {
        double[] p = xy(point);
        if (p == null) {
          return;
        }
        if (outline.getCurrentPoint() == null) {
          outline.moveTo(p[0], p[1]);
        } else {
          outline.lineTo(p[0], p[1]);
        }
      }
      outline.closePath();
      g.draw(outline);
    }
  }

  /** {@code [x, y]} of finite numbers, or null. */
  private static double[] xy(Object value) {
    if (value instanceof List<?> list && list.size() == 2 && list.get(0) instanceof Number x
        && list.get(1) instanceof Number y && Double.isFinite(x.doubleValue()) && Double.isFinite(y.doubleValue())) {
      return new double[] {x.doubleValue(), y.doubleValue()};
    }
    return null;
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
