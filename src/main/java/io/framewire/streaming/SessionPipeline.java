package io.framewire.streaming;

/**
 * One session's pipeline, opened for it alone by {@link SessionPipelines#open}: a {@link FrameRunner}
 * that holds the session's tool instances (stateful tools keep per-session state between frames).
 * Its owner is the session's {@link SessionActor}, which closes it when the session ends.
 */
public interface SessionPipeline extends FrameRunner, AutoCloseable {

  /**
   * Ends the session's use of the pipeline: no new run starts, and the tools are closed once the run
   * still in flight (if any) has settled, never while a call may still be inside them. Idempotent;
   * never blocks on a run.
   */
  @Override
  void close();
}
