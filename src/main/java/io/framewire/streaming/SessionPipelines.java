package io.framewire.streaming;

/**
 * What a session needs from the pipelines: whether an id names one, and a pipeline opened for one
 * session. The server's is {@link PipelineSessions}, over the engine; tests plug in pipelines they
 * control.
 */
public interface SessionPipelines {

  /** Whether {@code pipelineId} names a pipeline now (cheap: called on every admission). */
  boolean exists(String pipelineId);

  /**
   * Opens {@code pipelineId} for one session: creates its stateful tools, which may block (a model
   * loads). {@link SessionActor} calls it off the admission path, on the blocking dispatcher.
   *
   * @param timings each result carries the node timings ({@link FrameRunner#takeTimings})
   * @throws StreamFailure with the error the client gets when the refusal is expected (the pipeline
   *     was deleted meanwhile: {@code invalid_pipeline}); any other exception is answered
   *     {@code internal_error}
   */
  SessionPipeline open(String pipelineId, boolean timings);

  /**
   * As {@link #open(String, boolean)}, for the session {@code sessionId} (its events are published as
   * {@code session:<sessionId>}). {@link SessionActor} calls this one; by default it forgets the id.
   */
  default SessionPipeline open(String sessionId, String pipelineId, boolean timings) {
    return open(pipelineId, timings);
  }
}
