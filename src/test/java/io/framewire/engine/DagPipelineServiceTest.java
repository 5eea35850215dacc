package io.framewire.engine;

import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.pipeline.FakePlugin;
import io.framewire.pipeline.NodeDefinition;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.pipeline.PipelineValidationException;
import io.framewire.pipeline.TestPipelines;
import io.framewire.pipeline.store.PipelineRegistry;
import static io.framewire.pipeline.TestPipelines.await;
import static io.framewire.pipeline.TestPipelines.edge;
import static io.framewire.pipeline.TestPipelines.node;
import static io.framewire.pipeline.TestPipelines.pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import io.framewire.api.Tool;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.tools.debug.DebugPlugin;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DagPipelineServiceTest {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final List<String> started = Collections.synchronizedList(new ArrayList<>());

  /**
   * Test tools: {@code emit} returns {@code params} as its outputs (recording the node's start),
   * {@code input} returns its whole input, {@code boom} throws.
   */
  private final FakePlugin test =
      new FakePlugin("t")
          .toolFactory("emit", params -> input -> {
            started.add(params.path("name").asText());
            return TestPipelines.JSON.convertValue(params, MAP);
          })
          .tool("input", input -> new HashMap<>(input))
          .tool("boom", input -> {
            throw new UnsupportedOperationException();
          });

  @AfterEach
  void stopExecutor() {
    executor.shutdownNow();
  }

  private DagPipelineService service(ToolRegistry tools, PipelineDefinition... pipelines) {
    return new DagPipelineService(PipelineRegistry.of(tools, List.of(pipelines)), tools, executor);
  }

  private DagPipelineService service(PipelineDefinition... pipelines) {
    return service(ToolRegistry.of(test, new DebugPlugin()), pipelines);
  }

  private static NodeDefinition emit(String id, String paramsJson) {
    return node(id, "t", "emit", paramsJson);
  }

  @Test
  void runsTheOneNodeEchoPipeline() throws Exception {
    var echo = pipeline("echo", List.of(node("echo", "debug", "echo")), List.of(), List.of("echo"), List.of("echo"));
    var result = await(service(echo).runPipeline("echo", Map.of("frame_index", 3L, "image_bytes", new byte[10])));
    assertEquals(Map.of("frame_index", 3L, "bytes", 10), result);
  }

  @Test
  void chainRunsInTopologicalOrder() throws Exception {
    var chain = pipeline("chain",
        List.of(emit("c", "{\"name\":\"c\"}"), emit("a", "{\"name\":\"a\"}"), emit("b", "{\"name\":\"b\"}")),
        List.of(edge("a", "b"), edge("b", "c")), List.of("a"), List.of("c"));
    DagPipelineService service = service(chain);
    for (int run = 0; run < 20; run++) {
      started.clear();
      await(service.runPipeline("chain", Map.of()));
      assertEquals(List.of("a", "b", "c"), started);
    }
  }

  @Test
  void inputMergesPayloadThenPredecessorsInEdgeOrderLaterEdgeWins() throws Exception {
    var nodes = List.of(
        emit("a", "{\"name\":\"a\",\"k\":\"from a\",\"only_a\":1}"),
        emit("b", "{\"name\":\"b\",\"k\":\"from b\"}"),
        node("sink", "t", "input"));
    var bThenA = pipeline("b_then_a", nodes,
        List.of(edge("b", "sink"), edge("a", "sink")), List.of("a", "b"), List.of("sink"));
    var aThenB = pipeline("a_then_b", nodes,
        List.of(edge("a", "sink"), edge("b", "sink")), List.of("a", "b"), List.of("sink"));
    DagPipelineService service = service(bThenA, aThenB);
    Map<String, Object> payload = Map.of("k", "payload", "frame_index", 1L);

    Map<String, Object> first = await(service.runPipeline("b_then_a", payload));
    assertEquals("from a", first.get("k"));
    assertEquals(1, first.get("only_a"));
    assertEquals(1L, first.get("frame_index"), "payload keys reach every node");
    assertEquals("from b", await(service.runPipeline("a_then_b", payload)).get("k"));
  }

  @Test
  void resultMergesOutputNodesInOutputOrderLaterWins() throws Exception {
    var nodes = List.of(emit("a", "{\"name\":\"a\",\"k\":1}"), emit("b", "{\"name\":\"b\",\"k\":2}"));
    var ab = pipeline("ab", nodes, List.of(), List.of("a", "b"), List.of("a", "b"));
    var ba = pipeline("ba", nodes, List.of(), List.of("a", "b"), List.of("b", "a"));
    DagPipelineService service = service(ab, ba);
    assertEquals(2, await(service.runPipeline("ab", Map.of())).get("k"));
    assertEquals(1, await(service.runPipeline("ba", Map.of())).get("k"));
  }

  @Test
  void eventsOfEveryNodeAreCollectedInExecutionOrderOutputNodeOrNot() throws Exception {
    var chain = pipeline("events",
        List.of(emit("a", "{\"name\":\"a\",\"events\":[{\"type\":\"from_a\"}]}"),
            emit("b", "{\"name\":\"b\",\"events\":[{\"type\":\"from_b\"},{\"type\":\"again_b\"}]}"),
            emit("c", "{\"name\":\"c\",\"k\":1}")),
        List.of(edge("a", "b"), edge("b", "c")), List.of("a"), List.of("c"));
    var quiet = pipeline("quiet", List.of(emit("q", "{\"name\":\"q\",\"events\":[]}")),
        List.of(), List.of("q"), List.of("q"));
    DagPipelineService service = service(chain, quiet);
    Map<String, Object> result = await(service.runPipeline("events", Map.of()));
    assertEquals(List.of(Map.of("type", "from_a", "node", "a"), Map.of("type", "from_b", "node", "b"),
            Map.of("type", "again_b", "node", "b")),
        result.get("events"), "a and b are not output nodes, and b's list does not replace a's");
    assertEquals(1, result.get("k"));
    assertFalse(await(service.runPipeline("quiet", Map.of())).containsKey("events"), "no events: no key");
  }

  /**
   * Diamond source -> (left, right) -> join on a pool of exactly two threads. Each branch counts a
   * shared latch down and then waits for it, so the run only succeeds if both branches run at the
   * same time, and if no thread is parked waiting for another node (that would starve a branch).
   */
  @Test
  void independentBranchesRunConcurrentlyWithoutBlockingThreads() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    Tool meet = input -> {
      bothRunning.countDown();
      if (!bothRunning.await(5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the other branch never ran concurrently");
      }
      return Map.of();
    };
    var plugin = new FakePlugin("t").tool("meet", meet).tool("pass", input -> Map.of("done", true));
    var diamond = pipeline("diamond",
        List.of(node("source", "t", "pass"), node("left", "t", "meet"), node("right", "t", "meet"), node("join", "t", "pass")),
        List.of(edge("source", "left"), edge("source", "right"), edge("left", "join"), edge("right", "join")),
        List.of("source"), List.of("join"));
    ExecutorService twoThreads = Executors.newFixedThreadPool(2);
    try {
      ToolRegistry tools = ToolRegistry.of(plugin);
      var service = new DagPipelineService(PipelineRegistry.of(tools, List.of(diamond)), tools, twoThreads);
      assertEquals(Map.of("done", true), await(service.runPipeline("diamond", Map.of())));
      assertEquals(0, bothRunning.getCount());
    } finally {
      twoThreads.shutdownNow();
    }
  }

  @Test
  void resultIsJsonSafe() throws Exception {
    Tool leaky = input -> {
      Map<String, Object> nested = new HashMap<>();
      nested.put("n", 2);
      nested.put("bytes", new byte[] {1});
      nested.put("list", java.util.Arrays.asList(1, new byte[] {2}, "x", null, new Object()));
      nested.put("_nested_underscore_is_data", "kept");
      Map<String, Object> out = new HashMap<>();
      out.put("image_bytes", "even as a string it never leaves");
      out.put("_image", new Object());
      out.put("raw", new byte[] {3});
      out.put("thing", new Object());
      out.put("nan", Double.NaN);
      out.put("ok", 1);
      out.put("nothing", null);
      out.put("nested", nested);
      return out;
    };
    var plugin = new FakePlugin("leak").tool("leak", leaky).tool("input", input -> new HashMap<>(input));
    var p = pipeline("leaky", List.of(node("leak", "leak", "leak"), node("all", "leak", "input")),
        List.of(edge("leak", "all")), List.of("leak"), List.of("leak", "all"));
    var service = service(ToolRegistry.of(plugin), p);

    Map<String, Object> result = await(service.runPipeline("leaky", Map.of("frame_index", 1L, "image_bytes", new byte[5])));

    Map<String, Object> nestedExpected = new HashMap<>();
    nestedExpected.put("n", 2);
    nestedExpected.put("list", java.util.Arrays.asList(1, "x", null));
    nestedExpected.put("_nested_underscore_is_data", "kept");
    Map<String, Object> expected = new HashMap<>();
    expected.put("frame_index", 1L);
    expected.put("ok", 1);
    expected.put("nothing", null);
    expected.put("nested", nestedExpected);
    assertEquals(expected, result);
    String json = TestPipelines.JSON.writeValueAsString(result);
    assertFalse(json.contains("image_bytes"), json);
  }

  @Test
  void internalUnderscoreValuesReachDownstreamNodesButNotTheResult() throws Exception {
    Object decoded = new Object();
    var plugin = new FakePlugin("img")
        .tool("decode", input -> Map.of("_image", decoded, "width", 4))
        .tool("use", input -> Map.of("saw_image", input.get("_image") == decoded));
    var p = pipeline("img", List.of(node("decode", "img", "decode"), node("use", "img", "use")),
        List.of(edge("decode", "use")), List.of("decode"), List.of("decode", "use"));
    var result = await(service(ToolRegistry.of(plugin), p).runPipeline("img", Map.of()));
    assertEquals(Map.of("width", 4, "saw_image", true), result);
  }

  @Test
  void toolFailureFailsTheRunWithTheNodeIdAndAShortMessage() throws Exception {
    var p = pipeline("fails",
        List.of(emit("first", "{\"name\":\"first\"}"), node("broken", "debug", "fail", "{\"message\":\"camera on fire\"}"),
            emit("after", "{\"name\":\"after\"}")),
        List.of(edge("first", "broken"), edge("broken", "after")), List.of("first"), List.of("after"));
    var failure = assertThrows(PipelineFailure.class, () -> await(service(p).runPipeline("fails", Map.of())));
    assertEquals("broken", failure.nodeId());
    assertEquals("node 'broken' failed: camera on fire", failure.getMessage());
    assertEquals(List.of("first"), started, "nodes after the failed one do not run");
  }

  @Test
  void failureMessageUsesTheClassNameWhenThereIsNoMessageAndIsTruncated() throws Exception {
    var silent = pipeline("silent", List.of(node("b", "t", "boom")), List.of(), List.of("b"), List.of("b"));
    String longMessage = "x".repeat(1000) + "\n\tat some.Stack(Trace.java:1)";
    var verbose = pipeline("verbose",
        List.of(node("v", "debug", "fail", "{\"message\":\"" + longMessage.replace("\n", "\\n").replace("\t", "\\t") + "\"}")),
        List.of(), List.of("v"), List.of("v"));
    DagPipelineService service = service(silent, verbose);

    assertEquals("node 'b' failed: UnsupportedOperationException",
        assertThrows(PipelineFailure.class, () -> await(service.runPipeline("silent", Map.of()))).getMessage());
    String message = assertThrows(PipelineFailure.class, () -> await(service.runPipeline("verbose", Map.of()))).getMessage();
    assertTrue(message.length() < 250, message);
    assertFalse(message.contains("Stack"), message);
  }

  @Test
  void aFailedBranchFailsTheRunEvenIfTheOtherBranchSucceeds() throws Exception {
    var p = pipeline("branches",
        List.of(node("ok", "debug", "sleep", "{\"ms\": 20}"), node("bad", "t", "boom")),
        List.of(), List.of("ok", "bad"), List.of("ok", "bad"));
    var failure = assertThrows(PipelineFailure.class, () -> await(service(p).runPipeline("branches", Map.of())));
    assertEquals("bad", failure.nodeId());
  }

  @Test
  void unknownPipelineFailsClearly() {
    DagPipelineService service = service();
    var failure = assertThrows(UnknownPipelineException.class, () -> await(service.runPipeline("nope", Map.of())));
    assertEquals("unknown pipeline 'nope'", failure.getMessage());
    assertThrows(UnknownPipelineException.class, () -> service.openSession("nope"));
    assertThrows(UnknownPipelineException.class, () -> await(service.runPipeline((String) null, Map.of())));
  }

  @Test
  void isValidPipelineKnowsRegisteredIdsAndIsNullSafe() {
    var echo = pipeline("echo", List.of(node("echo", "debug", "echo")), List.of(), List.of("echo"), List.of("echo"));
    DagPipelineService service = service(echo);
    assertTrue(service.isValidPipeline("echo"));
    assertFalse(service.isValidPipeline("other"));
    assertFalse(service.isValidPipeline(null));
  }

  @Test
  void validateUsesTheServicesTools() {
    DagPipelineService service = service();
    var unknown = pipeline("x", List.of(node("a", "vision", "x")), List.of(), List.of("a"), List.of("a"));
    var e = assertThrows(PipelineValidationException.class, () -> service.validate(unknown));
    assertEquals("node 'a': unknown plugin 'vision'; plugins: debug, t", e.getMessage());
  }

  /** A stateful counter tool: counts the frames it saw; records instances created and closes. */
  private static final class Counters {
    final List<Tool> created = Collections.synchronizedList(new ArrayList<>());
    final Map<Tool, Integer> closes = new ConcurrentHashMap<>();

    FakePlugin plugin() {
      return new FakePlugin("state").statefulTool("count", params -> {
        Tool tool = new Tool() {
          private int frames;

          @Override
          public Map<String, Object> apply(Map<String, Object> input) {
            return Map.of("count", ++frames);
          }

          @Override
          public void close() {
            closes.merge(this, 1, Integer::sum);
          }
        };
        created.add(tool);
        return tool;
      });
    }
  }

  @Test
  void statefulToolsGetOneInstancePerSessionClosedExactlyOnceWithIt() throws Exception {
    Counters counters = new Counters();
    var p = pipeline("counting", List.of(node("count", "state", "count")), List.of(), List.of("count"), List.of("count"));
    DagPipelineService service = service(ToolRegistry.of(counters.plugin()), p);
    int afterValidation = counters.created.size();

    SessionTools first = service.openSession("counting");
    SessionTools second = service.openSession("counting");
    assertEquals(2, service.openStatefulTools());
    assertEquals(1, await(service.runPipeline(first, Map.of())).get("count"));
    assertEquals(2, await(service.runPipeline(first, Map.of())).get("count"));
    assertEquals(1, await(service.runPipeline(second, Map.of())).get("count"), "sessions do not share state");
    assertEquals(afterValidation + 2, counters.created.size());

    first.close();
    first.close(); // idempotent
    assertEquals(1, service.openStatefulTools());
    second.close();
    assertEquals(0, service.openStatefulTools());
    for (Tool tool : counters.created) {
      assertEquals(1, counters.closes.get(tool), "every instance closed exactly once");
    }
    var closedRun = assertThrows(IllegalStateException.class, () -> await(service.runPipeline(first, Map.of())));
    assertEquals("session for pipeline 'counting' is closed", closedRun.getMessage());
  }

  @Test
  void runWithoutSessionUsesAOneShotSessionClosedWhenTheRunEnds() throws Exception {
    Counters counters = new Counters();
    var p = pipeline("counting", List.of(node("count", "state", "count"), node("bad", "t", "boom")),
        List.of(edge("count", "bad")), List.of("count"), List.of("count"));
    var okPipeline = pipeline("ok", List.of(node("count", "state", "count")), List.of(), List.of("count"), List.of("count"));
    DagPipelineService service = service(ToolRegistry.of(counters.plugin(), test), p, okPipeline);

    assertEquals(1, await(service.runPipeline("ok", Map.of())).get("count"));
    assertEquals(1, await(service.runPipeline("ok", Map.of())).get("count"), "a fresh instance per run");
    assertThrows(PipelineFailure.class, () -> await(service.runPipeline("counting", Map.of())));
    assertEquals(0, service.openStatefulTools(), "no stateful instance outlives its run");
    for (Tool tool : counters.created) {
      assertEquals(1, counters.closes.get(tool));
    }
  }

  @Test
  void statelessToolsAreCreatedOncePerNodeAndSharedAcrossSessions() throws Exception {
    List<Tool> created = Collections.synchronizedList(new ArrayList<>());
    Set<Tool> used = ConcurrentHashMap.newKeySet();
    var plugin = new FakePlugin("shared").toolFactory("tool", params -> {
      Tool[] self = new Tool[1];
      self[0] = input -> {
        used.add(self[0]);
        return Map.of();
      };
      created.add(self[0]);
      return self[0];
    });
    var p = pipeline("shared", List.of(node("n", "shared", "tool")), List.of(), List.of("n"), List.of("n"));
    DagPipelineService service = service(ToolRegistry.of(plugin), p);
    int afterValidation = created.size();

    try (SessionTools one = service.openSession("shared"); SessionTools two = service.openSession("shared")) {
      await(service.runPipeline(one, Map.of()));
      await(service.runPipeline(two, Map.of()));
    }
    await(service.runPipeline("shared", Map.of()));
    assertEquals(afterValidation + 1, created.size(), "one shared instance for the node");
    assertEquals(1, used.size());
    assertEquals(0, service.openStatefulTools());
  }

  @Test
  void sessionsOfAnotherServiceAreRejected() {
    var echo = pipeline("echo", List.of(node("echo", "debug", "echo")), List.of(), List.of("echo"), List.of("echo"));
    SessionTools foreign = service(echo).openSession("echo");
    assertThrows(IllegalArgumentException.class, () -> service(echo).runPipeline(foreign, Map.of()));
  }

  @Test
  void resultIsAFreshMapTheCallerMayExtend() throws Exception {
    var echo = pipeline("echo", List.of(node("echo", "debug", "echo")), List.of(), List.of("echo"), List.of("echo"));
    Map<String, Object> result = await(service(echo).runPipeline("echo", Map.of("frame_index", 1L)));
    result.put("processing_time_ms", 3);
    assertNotNull(result.get("frame_index"));
    assertNull(result.get("image_bytes"));
  }
}
