package io.framewire.pipeline;

import java.util.List;

/**
 * A validated pipeline with its graph precomputed as index arrays, so that running a frame does no
 * graph work: no map lookups by node id, no sorting, no edge scanning.
 *
 * <p>Node indexes are positions in {@link PipelineDefinition#nodes()}.
 */
final class CompiledPipeline {

  final PipelineDefinition definition;
  final NodeDefinition[] nodes;
  /** Every node index, predecessors first; ties keep definition order (deterministic). */
  final int[] topologicalOrder;
  /** For each node, its predecessors in {@code edges} order: later ones win when inputs merge. */
  final int[][] predecessors;
  /** Nodes without successors: once they have settled, every node of the run has. */
  final int[] sinks;
  /** The output nodes in {@code output_nodes} order. */
  final int[] outputs;
  /** Whether each node's tool keeps per-session state. */
  final boolean[] stateful;
  final boolean anyStateful;
  /** Whether each node's tool may block: blocking tools run on the tool dispatcher, others inline. */
  final boolean[] blocking;
  /** Whether some node reads the frame's colour: JPEG frames are then decoded in colour, once. */
  final boolean anyColour;
  /**
   * Whether each node is placed on a worker ({@code "placement": "worker"}, or its tool's default):
   * on a front without the worker role such a node runs through {@link RemoteNodes}.
   */
  final boolean[] onWorker;

  CompiledPipeline(
      PipelineDefinition definition,
      int[] topologicalOrder,
      int[][] predecessors,
      int[] sinks,
      int[] outputs,
      boolean[] stateful,
      boolean[] blocking,
      boolean anyColour,
      boolean[] onWorker) {
    this.definition = definition;
    this.nodes = definition.nodes().toArray(NodeDefinition[]::new);
    this.topologicalOrder = topologicalOrder;
    this.predecessors = predecessors;
    this.sinks = sinks;
    this.outputs = outputs;
    this.stateful = stateful;
    this.blocking = blocking;
    this.anyColour = anyColour;
    this.onWorker = onWorker;
    boolean any = false;
    for (boolean s : stateful) {
      any |= s;
    }
    this.anyStateful = any;
  }

  String id() {
    return definition.id();
  }

  int size() {
    return nodes.length;
  }

  List<String> topologicalNodeIds() {
    return java.util.Arrays.stream(topologicalOrder).mapToObj(i -> nodes[i].id()).toList();
  }
}
