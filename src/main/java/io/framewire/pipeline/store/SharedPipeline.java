package io.framewire.pipeline.store;

import io.framewire.pipeline.PipelineDefinition;

/**
 * One version of a pipeline as the nodes of a cluster share it: created or replaced ({@code
 * definition} set) or deleted ({@code definition} null) at {@code version}. A deletion keeps the
 * version it removed, so a later creation of the same id continues after it (docs/scaling.md).
 */
public record SharedPipeline(String id, int version, PipelineDefinition definition) {

  public SharedPipeline {
    if (id == null || version < 1) {
      throw new IllegalArgumentException("a shared pipeline needs an id and a version >= 1");
    }
  }

  /** Whether this is the deletion of {@code version}. */
  public boolean deleted() {
    return definition == null;
  }
}
