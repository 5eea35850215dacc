package io.framewire.pipeline;

import java.util.List;

/**
 * A validated pipeline with its graph precomputed as index arrays, so that running a frame does no
 * graph work: no map lookups by node id, no sorting, no edge scanning. Made by {@link
 * PipelineValidator}, read (never written) by the engine that runs it.
 *
 * <p>Node indexes are positions in {@link PipelineDefinition#nodes()}.
 */
public final class CompiledPipeline {

  public final PipelineDefinition definition;
  public final NodeDefinition[] nodes;
  /** Every node index, predecessors first; ties keep definition order (deterministic). */
  public final int[] topologicalOrder;
  /** For each node, its predecessors in {@code edges} order: later ones win when inputs merge. */
  public final int[][] predecessors;
  /** Nodes without successors: once they have settled, every node of the run has. */
  public final int[] sinks;
  /** The output nodes in {@code output_nodes} order. */
  public final int[] outputs;
  /** Whether each node's tool keeps per-session state. */
  public final boolean[] stateful;
  public final boolean anyStateful;
  /** Whether each node's tool may block: blocking tools run on the tool dispatcher, others inline. */
  public final boolean[] blocking;
  /** Whether some node reads the frame's colour: JPEG frames are then decoded in colour, once. */
  public final boolean anyColour;
  /**
   * Whether each node is placed on a worker ({@code "placement": "worker"}, or its tool's default):
   * on a front without the worker role such a node runs through {@link RemoteNodes}.
   */
  public final boolean[] onWorker;

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

  public String id() {
    return definition.id();
  }

  public int size() {
    return nodes.length;
  }

  public List<String> topologicalNodeIds() {
    return java.util.Arrays.stream(topologicalOrder).mapToObj(i -> nodes[i].id()).toList();
  }
}
