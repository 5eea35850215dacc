package io.framewire.engine;

import io.framewire.pipeline.NodeDefinition;
import io.framewire.api.Tool;

/**
 * Runs nodes placed on workers somewhere else. The pipeline engine asks once per node whose
 * placement is {@code worker} (its own, or its tool's default) when it creates the node's shared
 * tool; a returned tool is usually an {@link io.framewire.api.AsyncTool} (a cluster front's
 * remote call), null means "run it here". The single-process default is {@link #NONE}.
 */
@FunctionalInterface
public interface RemoteNodes {

  /** Every node runs in this process. */
  RemoteNodes NONE = node -> null;

  /** A stateless tool that runs {@code node} elsewhere, or null to run it in this process. */
  Tool remoteTool(NodeDefinition node);
}
