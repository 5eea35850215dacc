package io.framewire.pipeline;

import io.framewire.pipeline.CompiledPipeline;
import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.ParamSpec;
import io.framewire.api.ParamValues;
import io.framewire.api.Placement;
import io.framewire.api.Suggestions;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one place that decides whether a pipeline definition is valid, reporting every problem it
 * finds (not just the first).
 *
 * <p>Rules: id (letters, digits, {@code . _ -}) and name present, at least one node; each node has an
 * id, plugin_id and tool_id; node ids unique; edges name known nodes and are not repeated;
 * entry_nodes and output_nodes non-empty and known; no cycle; every node reachable from the entry
 * nodes; every tool exists and accepts its params: against the tool's declared {@link
 * io.framewire.api.ParamSpec schema} when it has one (unknown keys, types, ranges), then by creating
 * it once; a node's {@code placement} is absent, {@code "local"} or {@code "worker"}, and never
 * {@code "worker"} for a stateful tool (its per-session state stays with the session, on the front).
 * Graph rules that depend on broken parts (a cycle among unknown nodes) are skipped rather than
 * reported twice.
 */
public final class PipelineValidator {

  /** Pipeline ids appear in URLs and file names. */
  private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");

  private PipelineValidator() {}

  /** @throws PipelineValidationException listing every broken rule */
  public static void validate(PipelineDefinition pipeline, ToolRegistry tools) {
    compile(pipeline, tools);
  }

  /** Every problem of {@code pipeline}, in rule order; empty if it is valid. */
  public static List<String> problems(PipelineDefinition pipeline, ToolRegistry tools) {
    List<String> errors = new ArrayList<>();
    check(pipeline, tools, errors);
    return errors;
  }

  /**
   * Validates and precomputes the graph used to run the pipeline.
   *
   * @throws PipelineValidationException listing every broken rule
   */
  public static CompiledPipeline compile(PipelineDefinition pipeline, ToolRegistry tools) {
    List<String> errors = new ArrayList<>();
    CompiledPipeline compiled = check(pipeline, tools, errors);
    if (!errors.isEmpty()) {
      throw new PipelineValidationException(errors);
    }
    return compiled;
  }

  /** Adds every problem to {@code errors}; returns the compiled pipeline when there is none. */
  private static CompiledPipeline check(PipelineDefinition pipeline, ToolRegistry tools, List<String> errors) {
    if (pipeline == null) {
      errors.add("missing pipeline definition");
      return null;
    }
    if (isBlank(pipeline.id())) {
      errors.add("missing 'id'");
    } else if (!ID.matcher(pipeline.id()).matches()) {
      errors.add("id '" + pipeline.id() + "' may only contain letters, digits, '.', '_' and '-' "
          + "(at most 100, not starting with '.' or '-'): it is used in URLs and file names");
    }
    if (isBlank(pipeline.name())) {
      errors.add("missing 'name'");
    }
    if (pipeline.nodes().isEmpty()) {
      errors.add("missing 'nodes': a pipeline needs at least one node");
      return null;
    }
    List<NodeDefinition> nodes = pipeline.nodes();
    int before = errors.size();
    Map<String, Integer> indexById = indexNodes(nodes, errors);
    boolean nodesOk = errors.size() == before;
    before = errors.size();
    NodeHints hints = new NodeHints(indexById.keySet());
    int[][] predecessors = predecessors(pipeline.edges(), indexById, nodes.size(), hints, errors);
    boolean edgesOk = errors.size() == before;
    before = errors.size();
    int[] entries = requireKnown(pipeline.entryNodes(), "entry_nodes", "entry node", indexById, hints, errors);
    boolean entriesOk = errors.size() == before;
    int[] outputs = requireKnown(pipeline.outputNodes(), "output_nodes", "output node", indexById, hints, errors);
    int[] order = null;
    if (nodesOk && edgesOk) {
      order = topologicalOrder(nodes, predecessors, errors);
      if (order != null && entriesOk) {
        requireReachable(nodes, predecessors, entries, errors);
      }
    }
    boolean[] stateful = checkTools(nodes, tools, errors);
    if (!errors.isEmpty()) {
      return null;
    }
    boolean[] blocking = new boolean[nodes.size()];
    for (int i = 0; i < blocking.length; i++) {
      blocking[i] = tools.isBlocking(nodes.get(i).pluginId(), nodes.get(i).toolId());
    }
    boolean anyColour = nodes.stream().anyMatch(n -> tools.usesColour(n.pluginId(), n.toolId()));
    boolean[] onWorker = new boolean[nodes.size()];
    for (int i = 0; i < onWorker.length; i++) {
      NodeDefinition node = nodes.get(i);
      Placement placement = node.placement() == null
          ? tools.defaultPlacement(node.pluginId(), node.toolId())
          : Placement.fromJson(node.placement());
      onWorker[i] = placement == Placement.WORKER && !stateful[i];
    }
    return new CompiledPipeline(pipeline, order, predecessors, sinks(predecessors), outputs, stateful,
        blocking, anyColour, onWorker);
  }

  private static Map<String, Integer> indexNodes(List<NodeDefinition> nodes, List<String> errors) {
    Map<String, Integer> indexById = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      NodeDefinition node = nodes.get(i);
      if (node == null) {
        errors.add("node #" + i + " is null");
        continue;
      }
      if (isBlank(node.id())) {
        errors.add("node #" + i + " is missing 'id'");
      } else if (indexById.putIfAbsent(node.id(), i) != null) {
        errors.add("duplicate node id '" + node.id() + "'");
      }
      String name = isBlank(node.id()) ? "node #" + i : "node '" + node.id() + "'";
      if (isBlank(node.pluginId())) {
        errors.add(name + " is missing 'plugin_id'");
      }
      if (isBlank(node.toolId())) {
        errors.add(name + " is missing 'tool_id'");
      }
    }
    return indexById;
  }

  private static int[][] predecessors(
      List<EdgeDefinition> edges, Map<String, Integer> indexById, int nodeCount, NodeHints hints, List<String> errors) {
    List<List<Integer>> predecessors = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      predecessors.add(new ArrayList<>());
    }
    Set<EdgeDefinition> seen = new HashSet<>();
    for (int i = 0; i < edges.size(); i++) {
      EdgeDefinition edge = edges.get(i);
      if (edge == null) {
        errors.add("edge #" + i + " is null");
        continue;
      }
      boolean ok = true;
      if (isBlank(edge.fromNode())) {
        errors.add("edge #" + i + " is missing 'from_node'");
        ok = false;
      }
      if (isBlank(edge.toNode())) {
        errors.add("edge #" + i + " is missing 'to_node'");
        ok = false;
      }
      if (!ok) {
        continue;
      }
      Integer from = indexById.get(edge.fromNode());
      if (from == null) {
        errors.add("edge from unknown node '" + edge.fromNode() + "'" + hints.didYouMean(edge.fromNode()));
      }
      Integer to = indexById.get(edge.toNode());
      if (to == null) {
        errors.add("edge to unknown node '" + edge.toNode() + "'" + hints.didYouMean(edge.toNode()));
      }
      if (from == null || to == null) {
        continue;
      }
      if (!seen.add(edge)) {
        // A repeat would make "later edge wins" ambiguous, and is almost certainly a copy-paste slip.
        errors.add("duplicate edge '" + edge.fromNode() + "' -> '" + edge.toNode() + "'");
        continue;
      }
      predecessors.get(to).add(from);
    }
    return predecessors.stream()
        .map(list -> list.stream().mapToInt(Integer::intValue).toArray())
        .toArray(int[][]::new);
  }

  private static int[] requireKnown(
      List<String> ids, String field, String role, Map<String, Integer> indexById, NodeHints hints,
      List<String> errors) {
    if (ids.isEmpty()) {
      errors.add("'" + field + "' is empty: a pipeline needs at least one " + role);
      return new int[0];
    }
    int[] indexes = new int[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      Integer index = ids.get(i) == null ? null : indexById.get(ids.get(i));
      if (index == null) {
        errors.add(role + " '" + ids.get(i) + "' not found" + hints.didYouMean(ids.get(i)));
        indexes[i] = -1;
      } else {
        indexes[i] = index;
      }
    }
    return indexes;
  }

  /**
   * "Did you mean" for unknown node ids, for the first {@link #MAX} of them only: each costs an edit
   * distance to every node id, and a graph of 10,000 nodes with thousands of dangling edges took
   * over 15 s to validate (found by the pipeline fuzz). The known ids are sorted once.
   */
  private static final class NodeHints {
    static final int MAX = 20;
    private final List<String> known;
    private int left = MAX;

    NodeHints(java.util.Collection<String> ids) {
      this.known = ids.stream().sorted().toList();
    }

    String didYouMean(String word) {
      if (left <= 0) {
        return "";
      }
      left--;
      return Suggestions.closest(word, known).map(c -> " (did you mean '" + c + "'?)").orElse("");
    }
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }

  /** Kahn's algorithm; ties broken by definition order so the order is deterministic. */
  private static int[] topologicalOrder(List<NodeDefinition> nodes, int[][] predecessors, List<String> errors) {
    int n = nodes.size();
    int[] pending = new int[n];
    List<List<Integer>> successors = successors(predecessors);
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < n; i++) {
      pending[i] = predecessors[i].length;
      if (pending[i] == 0) {
        ready.add(i);
      }
    }
    int[] order = new int[n];
    int placed = 0;
    while (!ready.isEmpty()) {
      int node = ready.poll();
      order[placed++] = node;
      for (int successor : successors.get(node)) {
        if (--pending[successor] == 0) {
          ready.add(successor);
        }
      }
    }
    if (placed < n) {
      errors.add(describeCycle(nodes, predecessors, pending));
      return null;
    }
    return order;
  }

  /**
   * Every node left over by Kahn's algorithm has a left-over predecessor, so walking backwards
   * through them must revisit a node: that walk contains a cycle.
   */
  private static String describeCycle(
      List<NodeDefinition> nodes, int[][] predecessors, int[] pending) {
    int start = 0;
    while (pending[start] == 0) {
      start++;
    }
    List<Integer> walk = new ArrayList<>();
    Map<Integer, Integer> positionInWalk = new HashMap<>();
    int current = start;
    while (!positionInWalk.containsKey(current)) {
      positionInWalk.put(current, walk.size());
      walk.add(current);
      for (int predecessor : predecessors[current]) {
        if (pending[predecessor] > 0) {
          current = predecessor;
          break;
        }
      }
    }
    List<Integer> cycle = new ArrayList<>(walk.subList(positionInWalk.get(current), walk.size()));
    Collections.reverse(cycle); // the walk went against the edges
    // Start at the node defined first, so the message does not depend on where the walk began.
    Collections.rotate(cycle, -cycle.indexOf(Collections.min(cycle)));
    cycle.add(cycle.get(0));
    String path = cycle.stream().map(i -> nodes.get(i).id()).collect(Collectors.joining(" -> "));
    return "cycle through node '" + nodes.get(cycle.get(0)).id() + "': " + path;
  }

  private static void requireReachable(
      List<NodeDefinition> nodes, int[][] predecessors, int[] entries, List<String> errors) {
    List<List<Integer>> successors = successors(predecessors);
    boolean[] reached = new boolean[nodes.size()];
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int entry : entries) {
      if (!reached[entry]) {
        reached[entry] = true;
        queue.add(entry);
      }
    }
    while (!queue.isEmpty()) {
      for (int successor : successors.get(queue.poll())) {
        if (!reached[successor]) {
          reached[successor] = true;
          queue.add(successor);
        }
      }
    }
    for (int i = 0; i < reached.length; i++) {
      if (!reached[i]) {
        errors.add("node '" + nodes.get(i).id() + "' is not reachable from the entry nodes");
      }
    }
  }

  /**
   * Checks each tool exists and accepts its params: against its declared schema if any, then by
   * creating it once and closing it (the tool may check more than the schema says).
   */
  private static boolean[] checkTools(List<NodeDefinition> nodes, ToolRegistry tools, List<String> errors) {
    boolean[] stateful = new boolean[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      NodeDefinition node = nodes.get(i);
      if (node == null || isBlank(node.pluginId()) || isBlank(node.toolId())) {
        continue; // already reported
      }
      String where = (isBlank(node.id()) ? "node #" + i : "node '" + node.id() + "'") + ": ";
      java.util.Optional<ToolPlugin> plugin = tools.plugin(node.pluginId());
      if (plugin.isEmpty()) {
        List<String> known = tools.plugins().stream().map(ToolPlugin::id).sorted().toList();
        errors.add(where + "unknown plugin '" + node.pluginId() + "'"
            + Suggestions.closest(node.pluginId(), known).map(c -> " (did you mean '" + c + "'?)").orElse("")
            + "; plugins: " + String.join(", ", known));
        continue;
      }
      if (!tools.hasTool(node.pluginId(), node.toolId())) {
        List<String> known = plugin.get().toolIds().stream().sorted().toList();
        errors.add(where + "unknown tool '" + node.toolId() + "' in plugin '" + node.pluginId() + "'"
            + Suggestions.closest(node.toolId(), known).map(c -> " (did you mean '" + c + "'?)").orElse("")
            + "; its tools: " + String.join(", ", known));
        continue;
      }
      JsonNode params = node.params();
      if (params != null && !params.isObject()) {
        errors.add(where + "'params' must be a JSON object");
        continue;
      }
      java.util.Optional<List<ParamSpec>> schema = tools.params(node.pluginId(), node.toolId());
      if (schema.isPresent()) {
        List<String> paramErrors = ParamValues.check(schema.get(), params);
        if (!paramErrors.isEmpty()) {
          paramErrors.forEach(e -> errors.add(where + e));
          continue;
        }
      }
      Tool probe;
      try {
        probe = tools.create(node.pluginId(), node.toolId(), params);
      } catch (IllegalArgumentException e) {
        errors.add(where + "invalid params: " + ErrorDetail.of(e));
        continue;
      } catch (RuntimeException e) {
        errors.add(where + "cannot create tool: " + ErrorDetail.of(e));
        continue;
      }
      try {
        probe.close();
      } catch (RuntimeException e) {
        // The probe's close failing says nothing about the definition.
      }
      stateful[i] = tools.isStateful(node.pluginId(), node.toolId());
      if (node.placement() != null) {
        Placement placement = Placement.fromJson(node.placement());
        if (placement == null) {
          errors.add(where + "'placement' must be \"local\" or \"worker\", got \"" + node.placement() + "\"");
        } else if (placement == Placement.WORKER && stateful[i]) {
          errors.add(where + "tool '" + node.pluginId() + "/" + node.toolId()
              + "' keeps per-session state and runs with its session: it cannot have placement \"worker\"");
        }
      }
    }
    return stateful;
  }

  private static List<List<Integer>> successors(int[][] predecessors) {
    List<List<Integer>> successors = new ArrayList<>();
    for (int i = 0; i < predecessors.length; i++) {
      successors.add(new ArrayList<>());
    }
    for (int to = 0; to < predecessors.length; to++) {
      for (int from : predecessors[to]) {
        successors.get(from).add(to);
      }
    }
    return successors;
  }

  private static int[] sinks(int[][] predecessors) {
    boolean[] hasSuccessor = new boolean[predecessors.length];
    for (int[] froms : predecessors) {
      for (int from : froms) {
        hasSuccessor[from] = true;
      }
    }
    return java.util.stream.IntStream.range(0, predecessors.length)
        .filter(i -> !hasSuccessor[i])
        .toArray();
  }
}
