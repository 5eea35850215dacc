package io.framewire.eventstore;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestJpegs;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@link SnapshotPainter} draws an event's {@code geometry}: pixels read back from the JPEG it writes,
 * with thresholds wide enough for JPEG's error (yellow on a dark frame).
 */
class SnapshotPainterTest {

  /** A box far from the shapes below, so its red never lands on a pixel checked here. */
  private static Map<String, Object> event(String type, Object geometry) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", type);
    event.put("track_id", 3);
    event.put("box", Map.of("x", 20, "y", 20, "w", 30, "h", 30));
    if (geometry != null) {
      event.put("geometry", geometry);
    }
    return event;
  }

  private static BufferedImage paint(Map<String, Object> event) throws Exception {
    BufferedImage frame = SnapshotPainter.decode(TestJpegs.solid(320, 240, TestJpegs.DARK));
    return ImageIO.read(new ByteArrayInputStream(SnapshotPainter.paint(frame, event)));
  }

  private static boolean yellow(BufferedImage image, int x, int y) {
    int rgb = image.getRGB(x, y);
    return ((rgb >> 16) & 0xff) > 150 && ((rgb >> 8) & 0xff) > 130 && (rgb & 0xff) < 110;
  }

  private static boolean dark(BufferedImage image, int x, int y) {
    int rgb = image.getRGB(x, y);
    return ((rgb >> 16) & 0xff) < 70 && ((rgb >> 8) & 0xff) < 70 && (rgb & 0xff) < 70;
  }

  private static String at(BufferedImage image, int x, int y) {
    return "(" + x + ", " + y + ") = " + Integer.toHexString(image.getRGB(x, y));
  }

  @Test
  void aLineIsDrawnWithAnArrowIntoItsInSide() throws Exception {
    // Left to right at y 200: the in side is below (the right of from → to, y down). Stroke 2 px, arrow 24 px.
    BufferedImage image = paint(event("line_crossed",
        Map.of("from", List.of(40.0, 200.0), "to", List.of(280.0, 200.0))));
    for (int x : new int[] {60, 100, 220, 260}) {
      assertTrue(yellow(image, x, 200), "on the line: " + at(image, x, 200));
    }
    assertTrue(yellow(image, 160, 212), "the arrow's shaft, below the middle: " + at(image, 160, 212));
    assertTrue(dark(image, 160, 185), "nothing on the out side above the middle: " + at(image, 160, 185));
    assertTrue(dark(image, 20, 200), "nothing beyond the line's end: " + at(image, 20, 200));
    assertTrue(dark(image, 160, 120), "the frame elsewhere: " + at(image, 160, 120));
  }

  @Test
  void aZonesOutlineIsDrawnAndItsInsideLeftAsItWas() throws Exception {
    BufferedImage image = paint(event("zone_entered",
        Map.of("points", List.of(List.of(160, 60), List.of(300, 60), List.of(300, 200), List.of(160, 200)))));
    int[][] edges = {{230, 60}, {300, 130}, {230, 200}, {160, 130}};
    for (int[] p : edges) {
      assertTrue(yellow(image, p[0], p[1]), "on the outline: " + at(image, p[0], p[1]));
    }
    assertTrue(dark(image, 230, 130), "inside stays as it was: " + at(image, 230, 130));
    assertTrue(dark(image, 120, 130), "outside too: " + at(image, 120, 130));
  }

  @Test
  void withoutGeometryOrWithAMalformedOneOnlyTheBoxIsDrawn() throws Exception {
    for (Object geometry : new Object[] {null, Map.of("from", List.of(40.0, 200.0)), Map.of("from", "door"),
        Map.of("points", List.of(List.of(160, 60), List.of(300, 60))), "not a map"}) {
      BufferedImage image = paint(event("line_crossed", geometry));
      assertTrue(dark(image, 100, 200), geometry + ": " + at(image, 100, 200));
      assertTrue(dark(image, 230, 60), geometry + ": " + at(image, 230, 60));
      int edge = image.getRGB(20, 35);
      assertTrue(((edge >> 16) & 0xff) > 180 && ((edge >> 8) & 0xff) < 140, geometry + ": the box, " + Integer.toHexString(edge));
    }
  }
}
