package io.framewire.tools.analytics;

import static io.framewire.tools.analytics.Frames.counts;
import static io.framewire.tools.analytics.Frames.events;
import static io.framewire.tools.analytics.Frames.frame;
import static io.framewire.tools.analytics.Frames.track;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.framewire.api.FrameTime;
import io.framewire.api.Tool;
import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** analytics/lines driven frame by frame with synthetic tracks. */
class LinesToolTest {

  /** A horizontal door from x 100 to 300 at y 200, drawn left to right: in is downwards (its right side). */
  private static final String DOOR = "{\"lines\": [{\"name\": \"door\", \"from\": [100, 200], \"to\": [300, 200]}]}";

  private long index;
  private Map<String, Object> last;

  /** Feeds one track's anchor positions, one frame each; returns the events raised. */
  private List<Map<String, Object>> walk(Tool tool, long id, String label, double ax, double... ys) throws Exception {
    List<Map<String, Object>> events = new ArrayList<>();
    for (double y : ys) {
      last = tool.apply(frame(index++, track(id, label, ax, y)));
      events.addAll(events(last));
    }
    return events;
  }

  /** {@code around + amplitude}, {@code around - amplitude}, …: an even count ends on the smaller side. */
  private static double[] jitter(int frames, double around, double amplitude) {
    double[] ys = new double[frames];
    for (int i = 0; i < frames; i++) {
      ys[i] = around + (i % 2 == 0 ? amplitude : -amplitude);
    }
    return ys;
  }

  private Map<String, Object> door() {
    return counts(last, "door");
  }

  @Test
  void jitterAtTheLineCountsOnceWhenTheTrackEndsOnTheOtherSide() throws Exception {
    Tool tool = Frames.create("lines", DOOR);
    assertEquals(List.of(), walk(tool, 1, "person", 200, 150, 170, 190));
    assertEquals(List.of(), walk(tool, 1, "person", 200, jitter(20, 200, 5)), "±5 px for 20 frames: nothing");
    assertEquals(List.of(), walk(tool, 1, "person", 200, 230), "one frame on the new side is not enough");
    List<Map<String, Object>> crossed = walk(tool, 1, "person", 200, 240, 250, 260);
    assertEquals(1, crossed.size());
    assertEquals(24L, crossed.get(0).get("frame_index"), "on its second frame past the band (3 + 20 + 2 - 1)");
    assertEquals(Map.of("in", 1L, "out", 0L, "in_by_label", Map.of("person", 1L), "out_by_label", Map.of()), door());
  }

  @Test
  void jitterAtTheLineCountsNothingWhenTheTrackGoesBack() throws Exception {
    Tool tool = Frames.create("lines", DOOR);
    walk(tool, 1, "person", 200, 150, 170, 190);
    walk(tool, 1, "person", 200, jitter(20, 200, 5));
    assertEquals(List.of(), walk(tool, 1, "person", 200, 180, 160, 140));
    assertEquals(0L, door().get("in"));
    assertEquals(0L, door().get("out"));
  }

  @Test
  void theEventNamesTheLineDirectionTrackAndFrame() throws Exception {
    Tool tool = Frames.create("lines", DOOR);
    List<Map<String, Object>> events = walk(tool, 7, "car", 150, 150, 210, 220);
    assertEquals(List.of(Map.of("type", "line_crossed", "line", "door", "direction", "in", "track_id", 7L,
        "label", "car", "frame_index", 2L, "time", FrameTime.iso(Frames.T0 + 200),
        "box", Map.of("x", 140.0, "y", 180.0, "w", 20.0, "h", 40.0),
        "geometry", Map.of("from", List.of(100.0, 200.0), "to", List.of(300.0, 200.0)))), events);
    assertEquals(List.of("type", "line", "direction", "track_id", "label", "frame_index", "time", "box", "geometry"),
        List.copyOf(events.get(0).keySet()));
  }

  @Test
  void aCrossingOutsideTheSegmentDoesNotCount() throws Exception {
    Tool tool = Frames.create("lines", DOOR);
    assertEquals(List.of(), walk(tool, 1, "person", 350, 150, 180, 220, 250), "beside the door, x 350 > 300");
    assertEquals(List.of(), walk(tool, 1, "person", 50, 240, 220, 180, 150), "back up, beside it on the other end");
    assertEquals(0L, door().get("in"));
    // Round the end and back through the door itself: that counts.
    walk(tool, 1, "person", 350, 180, 220, 250);
    List<Map<String, Object>> back = walk(tool, 1, "person", 250, 240, 180, 150);
    assertEquals(1, back.size());
    assertEquals("out", back.get(0).get("direction"));
    assertEquals(0L, door().get("in"));
    assertEquals(1L, door().get("out"));
  }

  @Test
  void inIsFromTheLeftOfFromToToItsRight() throws Exception {
    // A vertical line drawn downwards: its right, as seen in the image, is the smaller x.
    Tool tool = Frames.create("lines",
        "{\"lines\": [{\"name\": \"gate\", \"from\": [320, 0], \"to\": [320, 480]}], \"anchor\": \"center\"}");
    List<Map<String, Object>> events = new ArrayList<>();
    for (double x : new double[] {400, 360, 330, 300, 280, 260}) {
      last = tool.apply(frame(index++, track(1, "person", x, 300)));
      events.addAll(events(last));
    }
    for (double x : new double[] {100, 200, 300, 340, 360}) {
      last = tool.apply(frame(index++, track(2, "person", x, 300)));
      events.addAll(events(last));
    }
    assertEquals(List.of("in", "out"), events.stream().map(e -> e.get("direction")).toList());
    assertEquals(List.of(1L, 2L), events.stream().map(e -> e.get("track_id")).toList());
    assertEquals(1L, counts(last, "gate").get("in"));
    assertEquals(1L, counts(last, "gate").get("out"));
  }

  @Test
  void countsAreKeptPerLabel() throws Exception {
    Tool tool = Frames.create("lines", DOOR);
    double[][] paths = {{150, 190, 230, 240}, {150, 190, 230, 240}, {150, 190, 230, 240}};
    String[] labels = {"person", "car", "person"};
    for (int t = 0; t < paths[0].length; t++) {
      last = tool.apply(frame(index++, track(1, labels[0], 120, paths[0][t]), track(2, labels[1], 200, paths[1][t]),
          track(3, labels[2], 280, paths[2][t])));
    }
    walk(tool, 2, "car", 200, 190, 160, 150); // the car backs out
    assertEquals(Map.of("in", 3L, "out", 1L, "in_by_label", Map.of("car", 1L, "person", 2L),
        "out_by_label", Map.of("car", 1L)), door());
  }

  @Test
  void aTrackCountsOncePerDirectionUntilItHasGoneBack() throws Exception {
    Tool tool = Frames.create("lines", DOOR);
    assertEquals(1, walk(tool, 1, "person", 200, 150, 230, 240).size());
    assertEquals(List.of(), walk(tool, 1, "person", 200, 202, 198, 199, 230, 250), "back into the band: still in");
    assertEquals(List.of(), walk(tool, 1, "person", 200, 190, 230, 240), "one frame back is not going back");
    assertEquals(1L, door().get("in"));
    assertEquals("out", walk(tool, 1, "person", 200, 170, 160).get(0).get("direction"));
    assertEquals("in", walk(tool, 1, "person", 200, 230, 240).get(0).get("direction"));
    assertEquals(2L, door().get("in"));
    assertEquals(1L, door().get("out"));
  }

  @Test
  void hysteresisFollowsMinFramesAndMinDistance() throws Exception {
    Tool tool = Frames.create("lines",
        "{\"lines\": [{\"name\": \"door\", \"from\": [100, 200], \"to\": [300, 200]}], \"min_frames\": 3, \"min_distance\": 10}");
    walk(tool, 1, "person", 200, 150);
    assertEquals(List.of(), walk(tool, 1, "person", 200, 209, 209, 209, 209), "within 10 px: on no side");
    assertEquals(List.of(), walk(tool, 1, "person", 200, 215, 215), "two frames of three");
    assertEquals(1, walk(tool, 1, "person", 200, 215).size());
  }

  @Test
  void aTrackUnreportedForMoreThanLostFramesIsForgotten() throws Exception {
    String params = "{\"lines\": [{\"name\": \"door\", \"from\": [100, 200], \"to\": [300, 200]}], \"lost_frames\": 3}";
    for (int gap : new int[] {3, 4}) {
      Tool tool = Frames.create("lines", params);
      walk(tool, 1, "person", 200, 150, 170);
      for (int i = 0; i < gap; i++) {
        tool.apply(frame(index++));
      }
      int counted = walk(tool, 1, "person", 200, 230, 240).size();
      // After 3 frames unseen it is still known and its move from 170 to 230 crossed the door; after 4
      // it is a stranger whose side is first seen below the line.
      assertEquals(gap == 3 ? 1 : 0, counted, "gap " + gap);
    }
  }

  @Test
  void relativeCoordinatesScaleWithTheFrame() throws Exception {
    Tool tool = Frames.create("lines",
        "{\"lines\": [{\"name\": \"door\", \"from\": [0.25, 0.5], \"to\": [0.75, 0.5]}], \"units\": \"relative\"}");
    int[][] sizes = {{400, 200}, {800, 400}}; // the door: x 100..300 at y 100, then x 200..600 at y 200
    double[][] ys = {{80, 120, 130}, {180, 220, 230}};
    List<Object> geometries = new ArrayList<>();
    for (int s = 0; s < sizes.length; s++) {
      DecodedFrame image = DecodedFrame.ofRgb(new RgbImage(sizes[s][0], sizes[s][1], new byte[sizes[s][0] * sizes[s][1] * 3]));
      for (double y : ys[s]) {
        Map<String, Object> input = frame(index++, track(s + 1, "person", 250, y));
        input.put(DecodedFrame.KEY, image);
        last = tool.apply(input);
        events(last).forEach(event -> geometries.add(event.get("geometry")));
      }
      assertEquals(s + 1L, door().get("in"), "frame " + sizes[s][0] + "x" + sizes[s][1]);
    }
    // Each event carries the line where it was on its frame, in pixels.
    assertEquals(List.of(Map.of("from", List.of(100.0, 100.0), "to", List.of(300.0, 100.0)),
        Map.of("from", List.of(200.0, 200.0), "to", List.of(600.0, 200.0))), geometries);
    // Without a frame there is nothing to scale by.
    var e = assertThrows(IllegalArgumentException.class, () -> tool.apply(frame(index++, track(9, "person", 250, 50))));
    assertEquals("analytics/lines with units 'relative' needs the frame's size, but this input has no frame;"
        + " use units 'pixels'", e.getMessage());
  }

  @Test
  void noTracksIsRefusedWithThePredecessorToUse() {
    Tool tool = Frames.create("lines", DOOR);
    var e = assertThrows(IllegalArgumentException.class, () -> tool.apply(Map.of("frame_index", 0L)));
    assertEquals("analytics/lines needs a predecessor that outputs 'tracks' (track/bytetrack)", e.getMessage());
  }

  @Test
  void continueFromKeepsTheCountsOfSameNamedLines() throws Exception {
    Tool before = Frames.create("lines", "{\"lines\": [{\"name\": \"door\", \"from\": [100, 200], \"to\": [300, 200]},"
        + " {\"name\": \"old\", \"from\": [0, 100], \"to\": [50, 100]}]}");
    walk(before, 1, "person", 200, 150, 230, 240);
    walk(before, 2, "car", 250, 150, 230, 240);
    // Same door; "old" removed; "exit" new; a moved line keeps its counts, not its tracks' sides.
    Tool after = Frames.create("lines", "{\"lines\": [{\"name\": \"door\", \"from\": [100, 200], \"to\": [300, 200]},"
        + " {\"name\": \"exit\", \"from\": [100, 200], \"to\": [300, 200]}]}");
    after.continueFrom(before);
    before.close();
    List<Map<String, Object>> events = walk(after, 1, "person", 200, 170, 160);
    assertEquals(List.of("door"), events.stream().map(e -> e.get("line")).toList(),
        "the door knew the person was below it; the new exit line had never seen them");
    assertEquals(Map.of("in", 2L, "out", 1L, "in_by_label", Map.of("car", 1L, "person", 1L),
        "out_by_label", Map.of("person", 1L)), door());
    assertEquals(Map.of("in", 0L, "out", 0L, "in_by_label", Map.of(), "out_by_label", Map.of()), counts(last, "exit"));
    assertEquals(List.of("door", "exit"), List.copyOf(((Map<?, ?>) last.get("lines")).keySet()));

    Tool moved = Frames.create("lines", "{\"lines\": [{\"name\": \"door\", \"from\": [100, 300], \"to\": [300, 300]}]}");
    moved.continueFrom(after);
    assertEquals(List.of(), walk(moved, 2, "car", 250, 320, 330), "the car's side is first seen afresh");
    assertEquals(2L, door().get("in"));
    assertEquals(1, walk(moved, 2, "car", 250, 280, 270).size(), "then it counts again");
    assertEquals(2L, door().get("out"));
  }
}
