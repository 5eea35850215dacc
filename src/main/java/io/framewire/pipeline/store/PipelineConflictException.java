package io.framewire.pipeline.store;

/** A change the registry refuses as it stands: the id is taken, or the pipeline is built in (HTTP 409). */
public class PipelineConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PipelineConflictException(String message) {
    super(message);
  }
}
