package io.framewire.pipeline;

import io.framewire.tools.Tool;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tool instances one session uses to run one pipeline.
 *
 * <p>Stateless tools are the service's shared instances; stateful tools were created for this
 * session alone and are closed, exactly once, by {@link #close()}. Run at most one frame at a time
 * per session: that is what lets a stateful tool keep per-frame state without locking.
 */
public final class SessionTools implements AutoCloseable {

  private final DagPipelineService owner;
  private final Runnable onClose;
  final CompiledPipeline pipeline;
  private final int version;
  final Tool[] tools;
  private final int statefulCount;
  final NodeTimer[] nodeTimers;
  final boolean timings;
  private final AtomicBoolean closed = new AtomicBoolean();

  SessionTools(
      DagPipelineService owner,
      Runnable onClose,
      CompiledPipeline pipeline,
      int version,
      Tool[] tools,
      int statefulCount,
      NodeTimer[] nodeTimers,
      boolean timings) {
    this.owner = owner;
    this.onClose = onClose;
    this.pipeline = pipeline;
    this.version = version;
    this.tools = tools;
    this.statefulCount = statefulCount;
    this.nodeTimers = nodeTimers;
    this.timings = timings;
  }

  public String pipelineId() {
    return pipeline.id();
  }

  /** The pipeline version this session runs, for all its life (a later replacement does not change it). */
  public int version() {
    return version;
  }

  /** The definition this session runs. */
  public PipelineDefinition definition() {
    return pipeline.definition;
  }

  /** Whether each result carries the node timings ({@link DagPipelineService#timingsOf}). */
  public boolean timings() {
    return timings;
  }

  public boolean isClosed() {
    return closed.get();
  }

  boolean belongsTo(DagPipelineService service) {
    return owner == service;
  }

  /**
   * Closes this session's stateful tools; later calls do nothing. Every tool is closed even if one
   * throws; the first failure is then rethrown with the others suppressed.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      closeStateful();
    } finally {
      onClose.run(); // may close the shared tools of a replaced version
    }
  }

  private void closeStateful() {
    if (statefulCount == 0) {
      return;
    }
    RuntimeException failure = null;
    for (int i = 0; i < tools.length; i++) {
      if (pipeline.stateful[i]) {
        try {
          tools[i].close();
        } catch (RuntimeException e) {
          if (failure == null) {
            failure = e;
          } else {
            failure.addSuppressed(e);
          }
        } finally {
          owner.statefulToolClosed();
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public String toString() {
    return "SessionTools[" + pipelineId() + (isClosed() ? ", closed]" : "]");
  }
}
