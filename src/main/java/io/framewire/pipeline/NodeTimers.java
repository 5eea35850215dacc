package io.framewire.pipeline;

/**
 * Makes the {@link NodeTimer} of each node of each pipeline version, once when the version is
 * registered, so that a run only calls {@link NodeTimer#record} (no lookup by label per frame).
 */
@FunctionalInterface
public interface NodeTimers {

  NodeTimers NONE = (pipelineId, nodeId) -> NodeTimer.NONE;

  NodeTimer forNode(String pipelineId, String nodeId);
}
