package io.framewire.engine;

import io.framewire.metrics.StreamMetrics;
import java.util.function.DoubleConsumer;

/**
 * Makes the {@link NodeTimer} of each node of each pipeline version, once when the version is
 * registered, so that a run only calls {@link NodeTimer#record} (no lookup by label per frame).
 */
@FunctionalInterface
public interface NodeTimers {

  NodeTimers NONE = (pipelineId, nodeId) -> NodeTimer.NONE;

  /**
   * The {@code node_seconds} timers of these metrics: each node's series looked up once (when the
   * pipeline version is registered), so that a run only observes; a node that is gone loses its
   * series.
   */
  static NodeTimers of(StreamMetrics metrics) {
    return new NodeTimers() {
      @Override
      public NodeTimer forNode(String pipelineId, String nodeId) {
        DoubleConsumer seconds = metrics.nodeSecondsOf(pipelineId, nodeId);
        return nanos -> seconds.accept(nanos / 1e9);
      }

      @Override
      public void forget(String pipelineId, String nodeId) {
        metrics.forgetNode(pipelineId, nodeId);
      }
    };
  }

  NodeTimer forNode(String pipelineId, String nodeId);

  /**
   * The node is gone (its pipeline was deleted, or replaced by a version without it): drop its
   * series, so that pipelines created and deleted all day do not accumulate them.
   */
  default void forget(String pipelineId, String nodeId) {}
}
