package io.framewire.tools.track;

import static io.framewire.pipeline.TestPipelines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.engine.DagPipelineService;
import io.framewire.engine.SessionTools;
import io.framewire.pipeline.FakePlugin;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.PipelineValidationException;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.pipeline.store.PipelineRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** track/bytetrack through the real engine, fed by a fake detector; and the tool's inputs and params. */
class TrackPipelineTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String PIPELINE = """
      {
        "id": "tracked",
        "name": "Tracked",
        "nodes": [
          {"id": "detect", "plugin_id": "fake", "tool_id": "boxes"},
          {"id": "track", "plugin_id": "track", "tool_id": "bytetrack", "params": {"min_hits": 2}}
        ],
        "edges": [{"from_node": "detect", "to_node": "track"}],
        "entry_nodes": ["detect"],
        "output_nodes": ["track"]
      }
      """;

  /** One dog moving 10 px per frame to the right, as onnx/detect outputs it. */
  private final FakePlugin fake = new FakePlugin("fake").tool("boxes", input -> {
    long i = ((Number) input.get("frame_index")).longValue();
    return Map.of("detections", List.of(Map.of(
        "x", 10.0 * i, "y", 20.0, "w", 40.0, "h", 40.0, "score", 0.9, "class_id", 16, "label", "dog")));
  });

  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private DagPipelineService service(String json) {
    PipelineDefinition definition = PipelineJson.read(json);
    ToolRegistry tools = ToolRegistry.of(fake, new TrackPlugin());
    return new DagPipelineService(PipelineRegistry.of(tools, List.of(definition)), tools, executor);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> tracks(DagPipelineService service, SessionTools session, long frame)
      throws Exception {
    return (List<Map<String, Object>>) await(service.runPipeline(session, Map.of("frame_index", frame))).get("tracks");
  }

  @Test
  void eachSessionTracksOnItsOwnWithIdsFromOne() throws Exception {
    DagPipelineService service = service(PIPELINE);
    try (SessionTools first = service.openSession("tracked"); SessionTools second = service.openSession("tracked")) {
      assertEquals(List.of(), tracks(service, first, 0), "not confirmed before min_hits");
      List<Map<String, Object>> confirmed = tracks(service, first, 1);
      assertEquals(1, confirmed.size());
      Map<String, Object> t = confirmed.get(0);
      assertEquals(List.of("track_id", "label", "score", "x", "y", "w", "h", "age", "hits", "vx", "vy"),
          List.copyOf(t.keySet()));
      assertEquals(1, t.get("track_id"));
      assertEquals("dog", t.get("label"));
      assertEquals(0.9, t.get("score"));
      assertEquals(2, t.get("age"));
      assertEquals(2, t.get("hits"));
      for (long f = 2; f < 6; f++) {
        assertEquals(1, tracks(service, first, f).get(0).get("track_id"));
      }
      // The second session has seen nothing yet: its own tracker, its own ids.
      assertEquals(List.of(), tracks(service, second, 100));
      Map<String, Object> other = tracks(service, second, 101).get(0);
      assertEquals(1, other.get("track_id"));
      assertEquals(2, other.get("hits"));
      assertEquals(1, tracks(service, first, 6).get(0).get("track_id"));
      assertEquals(8, tracks(service, first, 7).get(0).get("hits"), "frames 0..7 of the first session");
    } finally {
      service.close();
    }
  }

  @Test
  void badParamsAreRefusedWhenThePipelineLoads() {
    String bad = PIPELINE.replace("{\"min_hits\": 2}", "{\"min_hit\": 2, \"track_thresh\": 1.5}");
    var e = assertThrows(PipelineValidationException.class, () -> service(bad));
    String errors = String.join("\n", e.errors());
    assertTrue(errors.contains("unknown param 'min_hit' (did you mean 'min_hits'?)"), errors);
    assertTrue(errors.contains("param 'track_thresh' must be in (0, 1], got 1.5"), errors);
  }

  @Test
  @SuppressWarnings("unchecked")
  void motionRegionsAreTrackedAsLabelMotion() throws Exception {
    TrackTool tool = (TrackTool) new TrackPlugin().create("bytetrack", JSON.readTree("{\"min_hits\": 1}"));
    for (int f = 0; f < 3; f++) {
      Map<String, Object> motion = Map.of("regions", List.of(Map.of("x", 100 + 4 * f, "y", 50, "w", 60, "h", 30)),
          "score", 0.02);
      List<Map<String, Object>> tracks = (List<Map<String, Object>>) tool.apply(Map.of("motion", motion)).get("tracks");
      assertEquals(1, tracks.size());
      assertEquals(1, tracks.get(0).get("track_id"));
      assertEquals("motion", tracks.get(0).get("label"));
      assertEquals(1.0, tracks.get(0).get("score"));
    }
    var e = assertThrows(IllegalArgumentException.class, () -> tool.apply(Map.of("frame_index", 3L)));
    assertTrue(e.getMessage().contains("needs a predecessor that outputs 'detections'"), e.getMessage());
  }

  @Test
  void newTrackThreshDefaultsToTrackThreshPlusATenth() throws Exception {
    assertEquals(0.6, TrackParams.from(JSON.readTree("{}")).newTrackThresh(), 1e-9);
    assertEquals(1.0, TrackParams.from(JSON.readTree("{\"track_thresh\": 0.95}")).newTrackThresh(), 1e-9);
    assertEquals(0.7, TrackParams.from(JSON.readTree("{\"new_track_thresh\": 0.7}")).newTrackThresh(), 1e-9);
    ByteTracker.Config defaults = TrackParams.from(JSON.readTree("{}"));
    assertEquals(new ByteTracker.Config(0.5, 0.1, 0.2, 3, 30, false, defaults.newTrackThresh()), defaults);
    assertTrue(ToolRegistry.fromClasspath().isStateful("track", "bytetrack"), "registered, one per stream");
  }
}
