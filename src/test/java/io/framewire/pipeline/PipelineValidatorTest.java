package io.framewire.pipeline;

import static io.framewire.pipeline.TestPipelines.edge;
import static io.framewire.pipeline.TestPipelines.node;
import static io.framewire.pipeline.TestPipelines.pipeline;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.framewire.api.Tool;
import io.framewire.tools.debug.DebugPlugin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PipelineValidatorTest {

  private final ToolRegistry tools = ToolRegistry.of(new DebugPlugin());

  private String problem(PipelineDefinition pipeline) {
    return assertThrows(
            PipelineValidationException.class, () -> PipelineValidator.validate(pipeline, tools))
        .getMessage();
  }

  /** a -> b, both echo: valid; each test breaks exactly one rule of it. */
  private static PipelineDefinition chain() {
    return pipeline(
        "chain",
        List.of(node("a", "debug", "echo"), node("b", "debug", "echo")),
        List.of(edge("a", "b")),
        List.of("a"),
        List.of("b"));
  }

  @Test
  void theBaseChainIsValid() {
    assertDoesNotThrow(() -> PipelineValidator.validate(chain(), tools));
  }

  @Test
  void missingId() {
    var p = chain();
    assertEquals("missing 'id'", problem(new PipelineDefinition(null, p.name(), null, p.nodes(), p.edges(), p.entryNodes(), p.outputNodes())));
    assertEquals("missing 'id'", problem(new PipelineDefinition(" ", p.name(), null, p.nodes(), p.edges(), p.entryNodes(), p.outputNodes())));
  }

  @Test
  void missingName() {
    var p = chain();
    assertEquals("missing 'name'", problem(new PipelineDefinition("x", null, null, p.nodes(), p.edges(), p.entryNodes(), p.outputNodes())));
  }

  @Test
  void missingOrEmptyNodes() {
    String expected = "missing 'nodes': a pipeline needs at least one node";
    assertEquals(expected, problem(new PipelineDefinition("x", "X", null, null, List.of(), List.of("a"), List.of("a"))));
    assertEquals(expected, problem(new PipelineDefinition("x", "X", null, List.of(), List.of(), List.of("a"), List.of("a"))));
  }

  @Test
  void nodeFieldsMustBePresent() {
    assertEquals("node #0 is missing 'id'; entry node 'a' not found; output node 'a' not found",
        problem(pipeline("x", List.of(node(null, "debug", "echo")), List.of(), List.of("a"), List.of("a"))));
    assertEquals("node 'a' is missing 'plugin_id'",
        problem(pipeline("x", List.of(node("a", null, "echo")), List.of(), List.of("a"), List.of("a"))));
    assertEquals("node 'a' is missing 'tool_id'",
        problem(pipeline("x", List.of(node("a", "debug", "")), List.of(), List.of("a"), List.of("a"))));
    assertEquals("node #1 is null",
        problem(pipeline("x", Arrays.asList(node("a", "debug", "echo"), null), List.of(), List.of("a"), List.of("a"))));
  }

  @Test
  void duplicateNodeId() {
    var p = pipeline("x", List.of(node("a", "debug", "echo"), node("a", "debug", "echo")), List.of(), List.of("a"), List.of("a"));
    assertEquals("duplicate node id 'a'", problem(p));
  }

  @Test
  void edgeFromUnknownNode() {
    var p = chain();
    var edges = List.of(edge("a", "b"), edge("ghost", "b"));
    assertEquals("edge from unknown node 'ghost'", problem(pipeline("x", p.nodes(), edges, p.entryNodes(), p.outputNodes())));
  }

  @Test
  void edgeToUnknownNode() {
    var p = chain();
    var edges = List.of(edge("a", "b"), edge("a", "x"));
    assertEquals("edge to unknown node 'x'", problem(pipeline("x", p.nodes(), edges, p.entryNodes(), p.outputNodes())));
  }

  @Test
  void edgeWithoutEnds() {
    var p = chain();
    assertEquals("edge #0 is missing 'from_node'", problem(pipeline("x", p.nodes(), List.of(edge(null, "b")), p.entryNodes(), p.outputNodes())));
    assertEquals("edge #0 is missing 'to_node'", problem(pipeline("x", p.nodes(), List.of(edge("a", null)), p.entryNodes(), p.outputNodes())));
  }

  @Test
  void duplicateEdge() {
    var p = chain();
    var edges = List.of(edge("a", "b"), edge("a", "b"));
    assertEquals("duplicate edge 'a' -> 'b'", problem(pipeline("x", p.nodes(), edges, p.entryNodes(), p.outputNodes())));
  }

  @Test
  void cycleNamesANodeInIt() {
    var nodes = List.of(node("a", "debug", "echo"), node("b", "debug", "echo"), node("c", "debug", "echo"));
    var edges = List.of(edge("a", "b"), edge("b", "c"), edge("c", "b"));
    assertEquals("cycle through node 'b': b -> c -> b", problem(pipeline("x", nodes, edges, List.of("a"), List.of("c"))));
  }

  @Test
  void selfLoopIsACycle() {
    var nodes = List.of(node("a", "debug", "echo"));
    assertEquals("cycle through node 'a': a -> a", problem(pipeline("x", nodes, List.of(edge("a", "a")), List.of("a"), List.of("a"))));
  }

  @Test
  void nodeUnreachableFromEntryNodes() {
    var nodes = List.of(node("a", "debug", "echo"), node("b", "debug", "echo"), node("island", "debug", "echo"));
    var p = pipeline("x", nodes, List.of(edge("a", "b")), List.of("a"), List.of("b"));
    assertEquals("node 'island' is not reachable from the entry nodes", problem(p));
  }

  @Test
  void entryNodeNotFound() {
    var p = chain();
    assertEquals("entry node 'start' not found", problem(pipeline("x", p.nodes(), p.edges(), List.of("start"), p.outputNodes())));
  }

  @Test
  void outputNodeNotFound() {
    var p = chain();
    assertEquals("output node 'end' not found", problem(pipeline("x", p.nodes(), p.edges(), p.entryNodes(), List.of("b", "end"))));
  }

  @Test
  void emptyEntryNodes() {
    var p = chain();
    assertEquals("'entry_nodes' is empty: a pipeline needs at least one entry node",
        problem(pipeline("x", p.nodes(), p.edges(), List.of(), p.outputNodes())));
    assertEquals("'entry_nodes' is empty: a pipeline needs at least one entry node",
        problem(pipeline("x", p.nodes(), p.edges(), null, p.outputNodes())));
  }

  @Test
  void emptyOutputNodes() {
    var p = chain();
    assertEquals("'output_nodes' is empty: a pipeline needs at least one output node",
        problem(pipeline("x", p.nodes(), p.edges(), p.entryNodes(), List.of())));
  }

  @Test
  void unknownPlugin() {
    var p = pipeline("x", List.of(node("a", "vision", "echo")), List.of(), List.of("a"), List.of("a"));
    assertEquals("node 'a': unknown plugin 'vision'; plugins: debug", problem(p));
    var typo = pipeline("x", List.of(node("a", "debgu", "echo")), List.of(), List.of("a"), List.of("a"));
    assertEquals("node 'a': unknown plugin 'debgu' (did you mean 'debug'?); plugins: debug", problem(typo));
  }

  @Test
  void unknownTool() {
    var p = pipeline("x", List.of(node("a", "debug", "ehco")), List.of(), List.of("a"), List.of("a"));
    assertEquals("node 'a': unknown tool 'ehco' in plugin 'debug' (did you mean 'echo'?); its tools: echo, event, fail, sleep, spin",
        problem(p));
  }

  @Test
  void invalidParamsAreReportedAgainstTheSchema() {
    var p = pipeline("x", List.of(node("nap", "debug", "sleep", "{\"ms\": -5}")), List.of(), List.of("nap"), List.of("nap"));
    assertEquals("node 'nap': param 'ms' must be >= 0, got -5", problem(p));
  }

  @Test
  void paramsMustBeAnObject() {
    var p = pipeline("x", List.of(node("nap", "debug", "sleep", "[1]")), List.of(), List.of("nap"), List.of("nap"));
    assertEquals("node 'nap': 'params' must be a JSON object", problem(p));
  }

  @Test
  void paramsCheckCreatesTheToolThenClosesIt() {
    AtomicInteger created = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    var plugin = new FakePlugin("t").statefulTool("probe", params -> {
      created.incrementAndGet();
      return new Tool() {
        @Override
        public Map<String, Object> apply(Map<String, Object> input) {
          return Map.of();
        }

        @Override
        public void close() {
          closed.incrementAndGet();
        }
      };
    });
    var p = pipeline("x", List.of(node("a", "t", "probe")), List.of(), List.of("a"), List.of("a"));
    PipelineValidator.validate(p, ToolRegistry.of(plugin));
    assertEquals(1, created.get());
    assertEquals(1, closed.get());
  }

  @Test
  void topologicalOrderPutsPredecessorsFirstAndKeepsDefinitionOrderOnTies() {
    // Nodes listed out of order on purpose.
    List<NodeDefinition> nodes = new ArrayList<>();
    for (String id : List.of("sink", "right", "left", "source", "side")) {
      nodes.add(node(id, "debug", "echo"));
    }
    var edges = List.of(
        edge("source", "left"), edge("source", "right"), edge("left", "sink"), edge("right", "sink"),
        edge("source", "side"));
    var compiled = PipelineValidator.compile(pipeline("x", nodes, edges, List.of("source"), List.of("sink")), tools);
    assertEquals(List.of("source", "right", "left", "sink", "side"), compiled.topologicalNodeIds());
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    var p = new PipelineDefinition("bad id", null, null,
        List.of(node("a", "debug", "echo"), node("a", "debug", "sleep", "{\"ms\": \"soon\", \"sm\": 3}"),
            node("c", "nope", "x")),
        List.of(edge("a", "ghost"), edge("c", "c")),
        List.of("a"), List.of("out"));
    var e = assertThrows(PipelineValidationException.class, () -> PipelineValidator.validate(p, tools));
    assertEquals(List.of(
        "id 'bad id' may only contain letters, digits, '.', '_' and '-' (at most 100, not starting with '.' or '-'): "
            + "it is used in URLs and file names",
        "missing 'name'",
        "duplicate node id 'a'",
        "edge to unknown node 'ghost'",
        "output node 'out' not found",
        "node 'a': unknown param 'sm' (did you mean 'ms'?)",
        "node 'a': param 'ms' must be an integer, got \"soon\"",
        "node 'c': unknown plugin 'nope'; plugins: debug"), e.errors());
    assertEquals(String.join("; ", e.errors()), e.getMessage());
    assertEquals(e.errors(), PipelineValidator.problems(p, tools));
  }

  @Test
  void aMisspeltParamIsRefusedWithTheClosestKnownOne() {
    var tools = ToolRegistry.of(new io.framewire.tools.motion.MotionPlugin());
    var p = pipeline("x", List.of(node("m", "motion", "detect", "{\"treshold\": 30}")), List.of(), List.of("m"), List.of("m"));
    assertEquals(List.of("node 'm': unknown param 'treshold' (did you mean 'threshold'?)"),
        PipelineValidator.problems(p, tools));
    var far = pipeline("x", List.of(node("m", "motion", "detect", "{\"colour\": true}")), List.of(), List.of("m"), List.of("m"));
    assertEquals(List.of("node 'm': unknown param 'colour' (known: threshold, min_area, alpha)"),
        PipelineValidator.problems(far, tools));
  }

  @Test
  void aToolWithoutParamsRefusesAnyKey() {
    var p = pipeline("x", List.of(node("e", "debug", "echo", "{\"fast\": true}")), List.of(), List.of("e"), List.of("e"));
    assertEquals(List.of("node 'e': unknown param 'fast' (this tool takes no params)"), PipelineValidator.problems(p, tools));
  }

  @Test
  void requiredParamMissing() {
    var p = pipeline("x", List.of(node("nap", "debug", "sleep")), List.of(), List.of("nap"), List.of("nap"));
    assertEquals(List.of("node 'nap': missing required param 'ms' (an integer)"), PipelineValidator.problems(p, tools));
  }

  @Test
  void aPluginWithoutASchemaIsNotCheckedForUnknownKeys() {
    AtomicInteger created = new AtomicInteger();
    var legacy = new FakePlugin("legacy").toolFactory("t", params -> {
      created.incrementAndGet();
      return input -> Map.of();
    });
    var p = pipeline("x", List.of(node("a", "legacy", "t", "{\"anything\": 1}")), List.of(), List.of("a"), List.of("a"));
    assertEquals(List.of(), PipelineValidator.problems(p, ToolRegistry.of(legacy)));
    assertEquals(1, created.get(), "its own create still checks the params");
  }

  @Test
  void anUnknownEntryNodeSuggestsTheClosestNode() {
    var p = chain();
    assertEquals("entry node 'aa' not found (did you mean 'a'?)",
        problem(pipeline("x", p.nodes(), p.edges(), List.of("aa"), p.outputNodes())));
  }

  /**
   * Found by the pipeline fuzz: 10,000 nodes and thousands of dangling edges took over 15 s, each
   * unknown id measured against every node id. Only the first 20 unknown ids get a suggestion.
   */
  @Test
  void onlyTheFirstTwentyUnknownNodeIdsGetADidYouMean() {
    List<NodeDefinition> nodes = new java.util.ArrayList<>();
    List<EdgeDefinition> edges = new java.util.ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      nodes.add(node("n" + i, "debug", "echo"));
      edges.add(edge("n" + i, "m" + i)); // m1 is one edit from n1: each would get a suggestion
    }
    List<String> problems = PipelineValidator.problems(pipeline("wide", nodes, edges, List.of("n0"), List.of("n1")), tools);
    assertEquals(10_000, problems.stream().filter(p -> p.startsWith("edge to unknown node")).count());
    assertEquals(20, problems.stream().filter(p -> p.contains("did you mean")).count());
    assertEquals("edge to unknown node 'm0' (did you mean 'n0'?)", problems.get(0));
    assertEquals("edge to unknown node 'm20'", problems.get(20));
  }
}
