package io.framewire.tools.analytics;

import static io.framewire.tools.analytics.Frames.counts;
import static io.framewire.tools.analytics.Frames.events;
import static io.framewire.tools.analytics.Frames.frame;
import static io.framewire.tools.analytics.Frames.track;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewire.api.FrameTime;
import io.framewire.api.Tool;
import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** analytics/zones driven frame by frame with synthetic tracks (frames 100 ms apart). */
class ZonesToolTest {

  /** The square x 100..300, y 100..300. */
  private static final String LOT = "{\"name\": \"lot\", \"points\": [[100, 100], [300, 100], [300, 300], [100, 300]]}";

  private long index;
  private Map<String, Object> last;

  private List<Map<String, Object>> walk(Tool tool, long id, String label, double ax, double... ys) throws Exception {
    List<Map<String, Object>> events = new ArrayList<>();
    for (double y : ys) {
      last = tool.apply(frame(index++, track(id, label, ax, y)));
      events.addAll(events(last));
    }
    return events;
  }

  private static List<Object> types(List<Map<String, Object>> events) {
    return events.stream().map(e -> e.get("type")).toList();
  }

  private Map<String, Object> lot() {
    return counts(last, "lot");
  }

  @Test
  void aTrackEntersAndExitsOnceItHasStayedOnTheNewSide() throws Exception {
    Tool tool = Frames.create("zones", "{\"zones\": [" + LOT + "]}");
    assertEquals(List.of(), walk(tool, 3, "person", 200, 50, 80, 150));
    List<Map<String, Object>> entered = walk(tool, 3, "person", 200, 160);
    assertEquals(List.of(Map.of("type", "zone_entered", "zone", "lot", "track_id", 3L, "label", "person",
        "frame_index", 3L, "time", FrameTime.iso(Frames.T0 + 300),
        "box", Map.of("x", 190.0, "y", 120.0, "w", 20.0, "h", 40.0),
        "geometry", Map.of("points", List.of(List.of(100.0, 100.0), List.of(300.0, 100.0), List.of(300.0, 300.0),
            List.of(100.0, 300.0))))), entered);
    assertEquals(Map.of("inside", 1L, "inside_by_label", Map.of("person", 1L), "entered", 1L, "exited", 0L,
        "entered_by_label", Map.of("person", 1L), "exited_by_label", Map.of()), lot());
    assertEquals(List.of(), walk(tool, 3, "person", 200, 250, 350));
    assertEquals(List.of("zone_exited"), types(walk(tool, 3, "person", 200, 360)));
    assertEquals(Map.of("inside", 0L, "inside_by_label", Map.of(), "entered", 1L, "exited", 1L,
        "entered_by_label", Map.of("person", 1L), "exited_by_label", Map.of("person", 1L)), lot());
  }

  @Test
  void jitterAtTheEdgeChangesNothing() throws Exception {
    Tool tool = Frames.create("zones", "{\"zones\": [" + LOT + "]}");
    walk(tool, 1, "person", 200, 50, 80);
    double[] ys = new double[20];
    for (int i = 0; i < ys.length; i++) {
      ys[i] = i % 2 == 0 ? 105 : 95;
    }
    assertEquals(List.of(), walk(tool, 1, "person", 200, ys));
    assertEquals(List.of(), walk(tool, 1, "person", 200, 101, 102, 103), "within min_distance of the edge");
    assertEquals(0L, lot().get("inside"));
    assertEquals(0L, lot().get("entered"));
  }

  @Test
  void dwellIsRaisedOncePerVisitByFrameTime() throws Exception {
    Tool tool = Frames.create("zones", "{\"zones\": [" + LOT + "], \"dwell_s\": 1}");
    walk(tool, 1, "car", 200, 50);
    // Seen inside from frame 1 (T0 + 100 ms), entered on frame 2; more than 1 s inside on frame 12.
    List<Map<String, Object>> events = new ArrayList<>();
    List<Long> frames = new ArrayList<>();
    for (int f = 0; f < 30; f++) {
      for (Map<String, Object> e : walk(tool, 1, "car", 200, 200)) {
        events.add(e);
        frames.add((Long) e.get("frame_index"));
      }
    }
    assertEquals(List.of("zone_entered", "zone_dwell"), types(events));
    assertEquals(List.of(2L, 12L), frames);
    assertEquals(FrameTime.iso(Frames.T0 + 1200), events.get(1).get("time"));
    // Out and in again: a new visit, a new dwell.
    walk(tool, 1, "car", 200, 350, 350, 200, 200);
    List<Object> again = types(walk(tool, 1, "car", 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200));
    assertEquals(List.of("zone_dwell"), again);
  }

  @Test
  void aZonesOwnDwellOverridesTheToolsAndNoneMeansNoDwellEvents() throws Exception {
    Tool tool = Frames.create("zones", "{\"zones\": [" + LOT.replace("}", ", \"dwell_s\": 0.5}")
        + ", {\"name\": \"all\", \"points\": [[0, 0], [400, 0], [400, 400], [0, 400]]}], \"dwell_s\": 0.2}");
    List<Map<String, Object>> events = walk(tool, 1, "car", 200, 200, 200, 200, 200, 200, 200, 200, 200);
    assertEquals(List.of("all@3", "lot@6"), events.stream().map(e -> e.get("zone") + "@" + e.get("frame_index")).toList());
    Tool quiet = Frames.create("zones", "{\"zones\": [" + LOT + "]}");
    assertEquals(List.of(), walk(quiet, 1, "car", 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200));
  }

  @Test
  void aTrackFirstSeenInsideIsInsideWithoutAnEventAndLeavesInsideWhenForgotten() throws Exception {
    Tool tool = Frames.create("zones", "{\"zones\": [" + LOT + "], \"lost_frames\": 3}");
    assertEquals(List.of(), walk(tool, 1, "person", 200, 200));
    last = tool.apply(frame(index++, track(1, "person", 200, 200), track(2, "car", 150, 150), track(4, "car", 50, 50)));
    assertEquals(Map.of("inside", 2L, "inside_by_label", Map.of("car", 1L, "person", 1L), "entered", 0L, "exited", 0L,
        "entered_by_label", Map.of(), "exited_by_label", Map.of()), lot());
    // The car is no longer reported: still inside for lost_frames frames, then gone, without an event.
    for (int f = 1; f <= 4; f++) {
      last = tool.apply(frame(index++, track(1, "person", 200, 200)));
      assertEquals(List.of(), events(last));
      assertEquals(f <= 3 ? 2L : 1L, lot().get("inside"), "frame " + f + " without the car");
    }
    assertEquals(0L, lot().get("exited"));
  }

  @Test
  void relativeZonesScaleWithTheFrame() throws Exception {
    Tool tool = Frames.create("zones",
        "{\"zones\": [{\"name\": \"lot\", \"points\": [[0.5, 0], [1, 0], [1, 1], [0.5, 1]]}], \"units\": \"relative\"}");
    DecodedFrame image = DecodedFrame.ofRgb(new RgbImage(640, 480, new byte[640 * 480 * 3]));
    List<Map<String, Object>> events = new ArrayList<>();
    for (double x : new double[] {100, 300, 340, 350}) { // the zone is x 320..640
      Map<String, Object> input = frame(index++, track(1, "person", x, 240));
      input.put(DecodedFrame.KEY, image);
      last = tool.apply(input);
      events.addAll(events(last));
    }
    assertEquals(List.of("zone_entered"), types(events));
    assertEquals(3L, events.get(0).get("frame_index"));
    assertEquals(Map.of("points", List.of(List.of(320.0, 0.0), List.of(640.0, 0.0), List.of(640.0, 480.0),
        List.of(320.0, 480.0))), events.get(0).get("geometry"), "the zone on this frame, in pixels");
  }

  @Test
  void continueFromKeepsTheCountsAndWhoIsInsideOfSameNamedZones() throws Exception {
    Tool before = Frames.create("zones", "{\"zones\": [" + LOT + "]}");
    walk(before, 1, "person", 200, 50, 150, 160);
    Tool after = Frames.create("zones", "{\"zones\": [" + LOT
        + ", {\"name\": \"gate\", \"points\": [[0, 0], [50, 0], [50, 50]]}], \"dwell_s\": 5}");
    after.continueFrom(before);
    before.close();
    last = after.apply(frame(index++));
    assertEquals(1L, lot().get("inside"), "the person is still inside, before the tracker reports them again");
    assertEquals(1L, lot().get("entered"));
    assertEquals(0L, counts(last, "gate").get("entered"));
    assertEquals(List.of("zone_exited"), types(walk(after, 1, "person", 200, 350, 360)));
    assertEquals(1L, lot().get("exited"));
  }
}
