package io.framewire.pipeline;

/** A pipeline definition breaks a rule; the message names the problem (and the node, if any). */
public class PipelineValidationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PipelineValidationException(String message) {
    super(message);
  }
}
