package io.framewire.tools.analytics;

import static io.framewire.pipeline.TestPipelines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.FrameTime;
import io.framewire.engine.DagPipelineService;
import io.framewire.engine.SessionTools;
import io.framewire.pipeline.FakePlugin;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.testing.PipelineProbe;
import io.framewire.testing.TestJpegs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** detect → track → lines and zones through the real engine: per-session state, events in the result. */
class AnalyticsPipelineTest {

  private static final String PIPELINE = """
      {
        "id": "counting",
        "name": "Counting",
        "nodes": [
          {"id": "detect", "plugin_id": "fake", "tool_id": "boxes"},
          {"id": "track", "plugin_id": "track", "tool_id": "bytetrack", "params": {"min_hits": 2}},
          {"id": "lines", "plugin_id": "analytics", "tool_id": "lines",
           "params": {"lines": [{"name": "door", "from": [100, 300], "to": [400, 300]}]}},
          {"id": "zones", "plugin_id": "analytics", "tool_id": "zones",
           "params": {"zones": [{"name": "hall", "points": [[0, 320], [640, 320], [640, 480], [0, 480]]}]}}
        ],
        "edges": [
          {"from_node": "detect", "to_node": "track"},
          {"from_node": "track", "to_node": "lines"},
          {"from_node": "track", "to_node": "zones"}
        ],
        "entry_nodes": ["detect"],
        "output_nodes": ["track", "lines", "zones"]
      }
      """;

  /** One person walking down 20 px per frame (bottom edge at 180 + 20 × frame), as onnx/detect outputs it. */
  private final FakePlugin fake = new FakePlugin("fake").tool("boxes", input -> {
    long i = ((Number) input.get("frame_index")).longValue();
    return Map.of("detections", List.of(Map.of(
        "x", 200.0, "y", 100.0 + 20 * i, "w", 40.0, "h", 80.0, "score", 0.9, "class_id", 0, "label", "person")));
  });

  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private static Map<String, Object> payload(long frame) {
    Map<String, Object> p = new HashMap<>();
    p.put("frame_index", frame);
    p.put(FrameTime.KEY, 1_700_000_000_000L + 40 * frame);
    return p;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> events(Map<String, Object> result) {
    return (List<Map<String, Object>>) result.getOrDefault("events", List.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> door(Map<String, Object> result) {
    return (Map<String, Object>) ((Map<String, Object>) result.get("lines")).get("door");
  }

  @Test
  void eachSessionCountsOnItsOwnAndTheResultCarriesEveryNodesEvents() throws Exception {
    ToolRegistry tools = ToolRegistry.of(fake, new io.framewire.tools.track.TrackPlugin(), new AnalyticsPlugin());
    DagPipelineService service = new DagPipelineService(
        PipelineRegistry.of(tools, List.of(PipelineJson.read(PIPELINE))), tools, executor);
    try (SessionTools first = service.openSession("counting"); SessionTools second = service.openSession("counting")) {
      List<String> seen = new ArrayList<>();
      Map<String, Object> result = null;
      for (long f = 0; f < 16; f++) {
        result = await(service.runPipeline(first, payload(f)));
        for (Map<String, Object> e : events(result)) {
          seen.add(f + ":" + e.get("type"));
        }
        if (f == 3) {
          // The second session, three frames in, has counted nothing: its own tracker and counters.
          Map<String, Object> other = null;
          for (long g = 0; g < 3; g++) {
            other = await(service.runPipeline(second, payload(g)));
          }
          assertEquals(0L, door(other).get("in"));
        }
      }
      // Confirmed on frame 1; the anchor (the box's bottom, as the filter estimates it) passes y 304 and
      // then y 324 on consecutive frames: the door counts, then the hall is entered.
      assertEquals(List.of("track_started", "line_crossed", "zone_entered"),
          seen.stream().map(s -> s.substring(s.indexOf(':') + 1)).toList(), seen.toString());
      assertTrue(seen.get(0).startsWith("1:"), seen.toString());
      assertEquals(Map.of("in", 1L, "out", 0L, "in_by_label", Map.of("person", 1L), "out_by_label", Map.of()),
          door(result));
      // The second session sees the same walk and counts it once too.
      Map<String, Object> other = null;
      for (long g = 3; g < 16; g++) {
        other = await(service.runPipeline(second, payload(g)));
      }
      assertEquals(1L, door(other).get("in"));
      assertEquals(1L, door(result).get("in"), "the first session's count is unchanged");
    } finally {
      service.close();
    }
  }

  @Test
  void motionTrackLinesOnJpegFramesCountsAMovingSquare() throws Exception {
    String pipeline = """
        {
          "id": "motion_lines",
          "name": "Motion lines",
          "nodes": [
            {"id": "motion", "plugin_id": "motion", "tool_id": "detect"},
            {"id": "track", "plugin_id": "track", "tool_id": "bytetrack", "params": {"min_hits": 2}},
            {"id": "lines", "plugin_id": "analytics", "tool_id": "lines",
             "params": {"lines": [{"name": "middle", "from": [0.5, 1], "to": [0.5, 0]}], "units": "relative",
                        "anchor": "center"}},
            {"id": "zones", "plugin_id": "analytics", "tool_id": "zones",
             "params": {"zones": [{"name": "right", "points": [[400, 0], [640, 0], [640, 480], [400, 480]]}]}}
          ],
          "edges": [
            {"from_node": "motion", "to_node": "track"},
            {"from_node": "track", "to_node": "lines"},
            {"from_node": "track", "to_node": "zones"}
          ],
          "entry_nodes": ["motion"],
          "output_nodes": ["lines", "zones"]
        }
        """;
    List<byte[]> frames = new ArrayList<>();
    for (int f = 0; f < 40; f++) {
      // An empty background, then a square moving 12 px per frame to the right, across the middle.
      frames.add(f == 0 ? TestJpegs.solid(640, 480, TestJpegs.DARK) : TestJpegs.withSquare(640, 480, 40 + 12 * f, 200, 60));
    }
    List<JsonNode> results = PipelineProbe.run(pipeline, frames);
    List<String> events = new ArrayList<>();
    for (JsonNode result : results) {
      if (result.has("events")) {
        result.get("events").forEach(e -> events.add(e.get("type").asText()
            + (e.has("direction") ? " " + e.get("direction").asText() : "") + " " + e.get("label").asText()));
      }
    }
    // The line drawn upwards: moving right is from its left to its right, "in".
    assertEquals(List.of("track_started motion", "line_crossed in motion", "zone_entered motion"), events);
    JsonNode last = results.get(results.size() - 1);
    assertEquals(1, last.get("lines").get("middle").get("in").asInt());
    assertEquals(1, last.get("zones").get("right").get("inside").asInt());
  }
}
