package io.framewire.engine;

/**
 * Makes the {@link NodeTimer} of each node of each pipeline version, once when the version is
 * registered, so that a run only calls {@link NodeTimer#record} (no lookup by label per frame).
 */
@FunctionalInterface
public interface NodeTimers {

  NodeTimers NONE = (pipelineId, nodeId) -> NodeTimer.NONE;

  NodeTimer forNode(String pipelineId, String nodeId);

  /**
   * The node is gone (its pipeline was deleted, or replaced by a version without it): drop its
   * series, so that pipelines created and deleted all day do not accumulate them.
   */
  default void forget(String pipelineId, String nodeId) {}
}
