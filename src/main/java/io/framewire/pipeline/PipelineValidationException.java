package io.framewire.pipeline;

import java.util.List;

/**
 * A pipeline definition breaks rules; {@link #errors()} names each problem (and the node, if any),
 * the message joins them with {@code "; "}.
 */
public class PipelineValidationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> errors;

  public PipelineValidationException(String message) {
    this(List.of(message));
  }

  public PipelineValidationException(List<String> errors) {
    super(String.join("; ", errors));
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  /** Every problem found, in rule order. */
  public List<String> errors() {
    return errors;
  }
}
