package io.framewire.pipeline;

/** No pipeline with this id is registered (an IllegalArgumentException: the caller asked for it). */
public class UnknownPipelineException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String pipelineId;

  public UnknownPipelineException(String pipelineId) {
    super("unknown pipeline '" + pipelineId + "'");
    this.pipelineId = pipelineId;
  }

  public String pipelineId() {
    return pipelineId;
  }
}
