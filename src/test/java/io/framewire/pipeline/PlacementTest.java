package io.framewire.pipeline;

import io.framewire.engine.DagPipelineService;
import io.framewire.engine.NodeTimers;
import io.framewire.engine.RemoteNodes;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.video.VideoFilePipelineService;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.AsyncTool;
import io.framewire.api.Placement;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import io.framewire.tools.debug.DebugPlugin;
import io.framewire.tools.motion.MotionPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** The optional {@code placement} of a node, the plugins' default placement, and how the engine uses them. */
class PlacementTest {

  /** {@code heavy/model}: a stateless tool whose plugin places it on workers by default. */
  static final class HeavyPlugin implements ToolPlugin {
    @Override
    public String id() {
      return "heavy";
    }

    @Override
    public Set<String> toolIds() {
      return Set.of("model");
    }

    @Override
    public Tool create(String toolId, JsonNode params) {
      return input -> Map.of("ran", "here");
    }

    @Override
    public Placement defaultPlacement(String toolId) {
      return Placement.WORKER;
    }
  }

  private final ToolRegistry tools = ToolRegistry.of(new DebugPlugin(), new MotionPlugin(), new HeavyPlugin());

  private static PipelineDefinition single(String plugin, String tool, String placement) {
    String field = placement == null ? "" : ",\"placement\":\"" + placement + "\"";
    return PipelineJson.read("""
        {"id":"p","name":"p","nodes":[{"id":"n","plugin_id":"%s","tool_id":"%s"%s}],
         "edges":[],"entry_nodes":["n"],"output_nodes":["n"]}""".formatted(plugin, tool, field));
  }

  private String problem(PipelineDefinition pipeline) {
    return assertThrows(PipelineValidationException.class, () -> PipelineValidator.validate(pipeline, tools))
        .getMessage();
  }

  @Test
  void placementIsOptionalAndRoundTripsThroughJson() {
    PipelineDefinition withPlacement = single("debug", "echo", "worker");
    assertEquals("worker", withPlacement.nodes().get(0).placement());
    assertTrue(PipelineJson.write(withPlacement).contains("\"placement\":\"worker\""));
    PipelineDefinition without = single("debug", "echo", null);
    assertNull(without.nodes().get(0).placement());
    assertFalse(PipelineJson.write(without).contains("placement"), "absent stays absent");
  }

  @Test
  void placementMustBeLocalOrWorker() {
    PipelineValidator.validate(single("debug", "echo", "local"), tools);
    PipelineValidator.validate(single("debug", "echo", "worker"), tools);
    assertEquals("node 'n': 'placement' must be \"local\" or \"worker\", got \"gpu\"",
        problem(single("debug", "echo", "gpu")));
  }

  @Test
  void aStatefulToolCannotBePlacedOnAWorker() {
    assertEquals("node 'n': tool 'motion/detect' keeps per-session state and runs with its session: "
        + "it cannot have placement \"worker\"", problem(single("motion", "detect", "worker")));
  }

  @Test
  void onWorkerFollowsTheNodeThenThePluginDefault() {
    assertTrue(PipelineValidator.compile(single("debug", "echo", "worker"), tools).onWorker[0]);
    assertFalse(PipelineValidator.compile(single("debug", "echo", null), tools).onWorker[0], "debug defaults to local");
    assertTrue(PipelineValidator.compile(single("heavy", "model", null), tools).onWorker[0], "the plugin's default");
    assertFalse(PipelineValidator.compile(single("heavy", "model", "local"), tools).onWorker[0], "the node overrides it");
    assertEquals(Placement.LOCAL, tools.defaultPlacement("motion", "detect"));
    assertEquals(Placement.LOCAL, tools.defaultPlacement("nope", "nothing"));
  }

  @Test
  void theEngineAsksRemoteNodesOnlyForNodesPlacedOnWorkers() throws Exception {
    PipelineDefinition pipeline = PipelineJson.read("""
        {"id":"p","name":"p","nodes":[
           {"id":"local","plugin_id":"debug","tool_id":"echo"},
           {"id":"remote","plugin_id":"heavy","tool_id":"model"}],
         "edges":[{"from_node":"local","to_node":"remote"}],
         "entry_nodes":["local"],"output_nodes":["local","remote"]}""");
    List<String> asked = new ArrayList<>();
    List<Map<String, Object>> inputs = new ArrayList<>();
    RemoteNodes remote = node -> {
      asked.add(node.id());
      return (AsyncTool) input -> {
        inputs.add(input);
        CompletionStage<Map<String, Object>> done = CompletableFuture.completedFuture(Map.of("ran", "remotely"));
        return done;
      };
    };
    DagPipelineService service = new DagPipelineService(PipelineRegistry.of(tools, List.of(pipeline)), tools, Runnable::run, NodeTimers.NONE, remote);
    Map<String, Object> result = TestPipelines.await(service.runPipeline("p", VideoFilePipelineService.framePayload(3, new byte[] {1, 2})));
    assertEquals("remotely", result.get("ran"));
    assertEquals(List.of("remote"), asked);
    assertEquals(2, inputs.get(0).get("bytes"), "the remote node gets its predecessor's outputs");

    DagPipelineService single = new DagPipelineService(PipelineRegistry.of(tools, List.of(pipeline)), tools, Runnable::run);
    assertEquals("here", TestPipelines.await(single.runPipeline("p", VideoFilePipelineService.framePayload(3, new byte[] {1}))).get("ran"),
        "without RemoteNodes (a single process) every node runs here");
  }

  @Test
  void wireSafeKeepsInternalJsonKeysAndDropsTheFrame() {
    Map<String, Object> input = new java.util.HashMap<>();
    input.put("image_bytes", new byte[] {1});
    input.put("_frame", io.framewire.api.image.DecodedFrame.ofJpeg(new byte[] {1}, false));
    input.put("_boxes", List.of(Map.of("x", 1)));
    input.put("_opaque", new Object());
    input.put("count", 2);
    assertEquals(Map.of("_boxes", List.of(Map.of("x", 1)), "count", 2), JsonSafe.wireSafe(input));
  }
}
