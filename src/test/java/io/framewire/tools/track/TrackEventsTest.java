package io.framewire.tools.track;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.api.FrameTime;
import io.framewire.api.Tool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** track/bytetrack's events and live-edit carry-over, through the tool's own input and output. */
class TrackEventsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long T0 = 1_700_000_000_000L;

  private static Map<String, Object> frame(long index, double... xs) {
    List<Map<String, Object>> detections = new ArrayList<>();
    for (double x : xs) {
      detections.add(Map.of("x", x, "y", 100.0, "w", 40.0, "h", 40.0, "score", 0.9, "class_id", 0, "label", "person"));
    }
    Map<String, Object> input = new HashMap<>();
    input.put("frame_index", index);
    input.put(FrameTime.KEY, T0 + 40 * index);
    input.put("detections", detections);
    return input;
  }

  private static Tool tool(String params) throws Exception {
    return new TrackPlugin().create("bytetrack", JSON.readTree(params));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> output, String key) {
    return (List<Map<String, Object>>) output.get(key);
  }

  @Test
  void trackStartedOnConfirmationAndTrackEndedAfterTheBuffer() throws Exception {
    Tool tool = tool("{\"min_hits\": 2, \"track_buffer\": 3}");
    assertEquals(List.of(), list(tool.apply(frame(0, 10)), "events"));
    Map<String, Object> confirmed = tool.apply(frame(1, 20));
    Map<String, Object> t = list(confirmed, "tracks").get(0);
    assertEquals(List.of(Map.of("type", "track_started", "track_id", 1, "label", "person", "frame_index", 1L,
        "time", FrameTime.iso(T0 + 40), "box", Map.of("x", t.get("x"), "y", t.get("y"), "w", t.get("w"), "h", t.get("h")))),
        list(confirmed, "events"));
    assertEquals(List.of("type", "track_id", "label", "frame_index", "time", "box"),
        List.copyOf(list(confirmed, "events").get(0).keySet()));
    Map<String, Object> lastSeen = list(tool.apply(frame(2, 30)), "tracks").get(0);
    for (long f = 3; f <= 5; f++) {
      assertEquals(List.of(), list(tool.apply(frame(f)), "events"), "lost on frame " + f + ", still buffered");
    }
    List<Map<String, Object>> ended = list(tool.apply(frame(6)), "events");
    assertEquals(List.of(Map.of("type", "track_ended", "track_id", 1, "label", "person", "frame_index", 6L,
        "time", FrameTime.iso(T0 + 240), "box", Map.of("x", lastSeen.get("x"), "y", lastSeen.get("y"),
            "w", lastSeen.get("w"), "h", lastSeen.get("h")))), ended);
  }

  @Test
  void continueFromKeepsTracksSoIdsContinue() throws Exception {
    Tool before = tool("{\"min_hits\": 2}");
    before.apply(frame(0, 10, 300));
    before.apply(frame(1, 20, 300));
    Tool after = tool("{\"min_hits\": 2, \"track_thresh\": 0.6}");
    after.continueFrom(before);
    before.close();
    Map<String, Object> out = after.apply(frame(2, 30, 300, 600));
    assertEquals(List.of(1, 2), list(out, "tracks").stream().map(t -> t.get("track_id")).toList());
    assertEquals(List.of(), list(out, "events"), "nothing started again; the third box is still tentative");
    out = after.apply(frame(3, 40, 300, 600));
    assertEquals(List.of(1, 2, 3), list(out, "tracks").stream().map(t -> t.get("track_id")).toList());
    assertEquals(List.of(3), list(out, "events").stream().map(e -> e.get("track_id")).toList());
  }
}
