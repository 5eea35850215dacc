package io.framewire.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.tools.Placement;
import io.framewire.tools.Tool;
import io.framewire.tools.ToolRegistry;
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
 * The one place that decides whether a pipeline definition is valid.
 *
 * <p>Rules, checked in this order (the first broken one is reported): id, name and at least one
 * node present; each node has an id, plugin_id and tool_id; node ids unique; edges name known
 * nodes and are not repeated; entry_nodes and output_nodes non-empty and known; no cycle; every
 * node reachable from the entry nodes; every tool exists and accepts its params; a node's
 * {@code placement} is absent, {@code "local"} or {@code "worker"}, and never {@code "worker"} for a
 * stateful tool (its per-session state stays with the session, on the front).
 */
public final class PipelineValidator {

  private PipelineValidator() {}

  /** @throws PipelineValidationException naming the first broken rule */
  public static void validate(PipelineDefinition pipeline, ToolRegistry tools) {
    compile(pipeline, tools);
  }

  /** Validates and precomputes the graph used to run the pipeline. */
  static CompiledPipeline compile(PipelineDefinition pipeline, ToolRegistry tools) {
    if (pipeline == null) {
      throw invalid("missing pipeline definition");
    }
    requirePresent(pipeline.id(), "missing 'id'");
    requirePresent(pipeline.name(), "missing 'name'");
    if (pipeline.nodes().isEmpty()) {
      throw invalid("missing 'nodes': a pipeline needs at least one node");
    }
    List<NodeDefinition> nodes = pipeline.nodes();
    Map<String, Integer> indexById = indexNodes(nodes);
    int[][] predecessors = predecessors(pipeline.edges(), indexById, nodes.size());
    int[] entries = requireKnown(pipeline.entryNodes(), "entry_nodes", "entry node", indexById);
    int[] outputs = requireKnown(pipeline.outputNodes(), "output_nodes", "output node", indexById);
    int[] order = topologicalOrder(nodes, predecessors);
    requireReachable(nodes, predecessors, entries);
    boolean[] stateful = checkTools(nodes, tools);
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

  private static Map<String, Integer> indexNodes(List<NodeDefinition> nodes) {
    Map<String, Integer> indexById = new HashMap<>();
    for (int i = 0; i < nodes.size(); i++) {
      NodeDefinition node = nodes.get(i);
      if (node == null) {
        throw invalid("node #" + i + " is null");
      }
      requirePresent(node.id(), "node #" + i + " is missing 'id'");
      if (indexById.putIfAbsent(node.id(), i) != null) {
        throw invalid("duplicate node id '" + node.id() + "'");
      }
      requirePresent(node.pluginId(), "node '" + node.id() + "' is missing 'plugin_id'");
      requirePresent(node.toolId(), "node '" + node.id() + "' is missing 'tool_id'");
    }
    return indexById;
  }

  private static int[][] predecessors(
      List<EdgeDefinition> edges, Map<String, Integer> indexById, int nodeCount) {
    List<List<Integer>> predecessors = new ArrayList<>();
    for (int i = 0; i < nodeCount; i++) {
      predecessors.add(new ArrayList<>());
    }
    Set<EdgeDefinition> seen = new HashSet<>();
    for (int i = 0; i < edges.size(); i++) {
      EdgeDefinition edge = edges.get(i);
      if (edge == null) {
        throw invalid("edge #" + i + " is null");
      }
      requirePresent(edge.fromNode(), "edge #" + i + " is missing 'from_node'");
      requirePresent(edge.toNode(), "edge #" + i + " is missing 'to_node'");
      Integer from = indexById.get(edge.fromNode());
      if (from == null) {
        throw invalid("edge from unknown node '" + edge.fromNode() + "'");
      }
      Integer to = indexById.get(edge.toNode());
      if (to == null) {
        throw invalid("edge to unknown node '" + edge.toNode() + "'");
      }
      if (!seen.add(edge)) {
        // A repeat would make "later edge wins" ambiguous, and is almost certainly a copy-paste slip.
        throw invalid("duplicate edge '" + edge.fromNode() + "' -> '" + edge.toNode() + "'");
      }
      predecessors.get(to).add(from);
    }
    return predecessors.stream()
        .map(list -> list.stream().mapToInt(Integer::intValue).toArray())
        .toArray(int[][]::new);
  }

  private static int[] requireKnown(
      List<String> ids, String field, String role, Map<String, Integer> indexById) {
    if (ids.isEmpty()) {
      throw invalid("'" + field + "' is empty: a pipeline needs at least one " + role);
    }
    int[] indexes = new int[ids.size()];
    for (int i = 0; i < ids.size(); i++) {
      Integer index = ids.get(i) == null ? null : indexById.get(ids.get(i));
      if (index == null) {
        throw invalid(role + " '" + ids.get(i) + "' not found");
      }
      indexes[i] = index;
    }
    return indexes;
  }

  /** Kahn's algorithm; ties broken by definition order so the order is deterministic. */
  private static int[] topologicalOrder(List<NodeDefinition> nodes, int[][] predecessors) {
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
      throw invalid(describeCycle(nodes, predecessors, pending));
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
      List<NodeDefinition> nodes, int[][] predecessors, int[] entries) {
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
        throw invalid("node '" + nodes.get(i).id() + "' is not reachable from the entry nodes");
      }
    }
  }

  /** Checks each tool exists and accepts its params by creating it once, then closing it. */
  private static boolean[] checkTools(List<NodeDefinition> nodes, ToolRegistry tools) {
    boolean[] stateful = new boolean[nodes.size()];
    for (int i = 0; i < nodes.size(); i++) {
      NodeDefinition node = nodes.get(i);
      String where = "node '" + node.id() + "': ";
      if (tools.plugin(node.pluginId()).isEmpty()) {
        throw invalid(where + "unknown plugin '" + node.pluginId() + "'");
      }
      if (!tools.hasTool(node.pluginId(), node.toolId())) {
        throw invalid(
            where + "unknown tool '" + node.toolId() + "' in plugin '" + node.pluginId() + "'");
      }
      JsonNode params = node.params();
      if (params != null && !params.isObject()) {
        throw invalid(where + "'params' must be a JSON object");
      }
      Tool probe;
      try {
        probe = tools.create(node.pluginId(), node.toolId(), params);
      } catch (IllegalArgumentException e) {
        throw invalid(where + "invalid params: " + PipelineFailure.shortDescription(e));
      } catch (RuntimeException e) {
        throw invalid(where + "cannot create tool: " + PipelineFailure.shortDescription(e));
      }
      probe.close();
      stateful[i] = tools.isStateful(node.pluginId(), node.toolId());
      if (node.placement() != null) {
        Placement placement = Placement.fromJson(node.placement());
        if (placement == null) {
          throw invalid(where + "'placement' must be \"local\" or \"worker\", got \"" + node.placement() + "\"");
        }
        if (placement == Placement.WORKER && stateful[i]) {
          throw invalid(where + "tool '" + node.pluginId() + "/" + node.toolId()
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

  private static void requirePresent(String value, String problem) {
    if (value == null || value.isBlank()) {
      throw invalid(problem);
    }
  }

  private static PipelineValidationException invalid(String problem) {
    return new PipelineValidationException(problem);
  }
}
