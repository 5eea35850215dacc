package io.framewire.engine;

import io.framewire.pipeline.CompiledPipeline;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.api.Tool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tool instances one session uses to run one pipeline.
 *
 * <p>Stateless tools are the service's shared instances; stateful tools were created for this
 * session alone and are closed, exactly once, after {@link #close()}. Run at most one frame at a time
 * per session when it has a stateful tool: that is what lets such a tool keep per-frame state without
 * locking ({@link #isStateless}: without one, frames may overlap).
 *
 * <p>Lifetime: a tool is never closed while a run is inside it. The session can end while its run is
 * still going (the frame timed out, the client left); {@link #close()} then only refuses new runs, and
 * the tools are closed when that run settles. A tool holding native resources may rely on it.
 */
public final class SessionTools implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SessionTools.class);

  private final DagPipelineService owner;
  /** The version's runtime: the service compares it with the registered one ({@link DagPipelineService#isLatest}). */
  final Object runtime;
  private final Runnable onClose;
  final CompiledPipeline pipeline;
  private final int version;
  final Tool[] tools;
  private final int statefulCount;
  final NodeTimer[] nodeTimers;
  final boolean timings;
  private int runsInFlight; // guarded by this
  private boolean closeRequested; // guarded by this
  private boolean toolsClosing; // guarded by this
  private final CompletableFuture<Void> toolsClosed = new CompletableFuture<>();

  SessionTools(
      DagPipelineService owner,
      Object runtime,
      Runnable onClose,
      CompiledPipeline pipeline,
      int version,
      Tool[] tools,
      int statefulCount,
      NodeTimer[] nodeTimers,
      boolean timings) {
    this.owner = owner;
    this.runtime = runtime;
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

  /** Whether no tool of this session is stateful, so that its frames may run concurrently. */
  public boolean isStateless() {
    return statefulCount == 0;
  }

  /** Whether each result carries the node timings ({@link DagPipelineService#timingsOf}). */
  public boolean timings() {
    return timings;
  }

  /** Whether {@link #close()} was called: no new run starts (the tools may still be finishing one). */
  public synchronized boolean isClosed() {
    return closeRequested;
  }

  /** Completes once the stateful tools have been closed (after close() and the last run settled). */
  public CompletionStage<Void> whenToolsClosed() {
    return toolsClosed;
  }

  /** A run starts with these tools; false if the session is closed. Pair with {@link #runEnded}. */
  synchronized boolean runStarted() {
    if (closeRequested) {
      return false;
    }
    runsInFlight++;
    return true;
  }

  /**
   * The state transfer to a successor starts ({@link DagPipelineService#openSuccessor}): counted like a
   * run, so that a close meanwhile waits for it. Pair with {@link #runEnded}.
   *
   * @throws IllegalStateException if the session is closed or a run is inside its tools
   */
  synchronized void transferStarted() {
    if (closeRequested) {
      throw new IllegalStateException("session for pipeline '" + pipelineId() + "' is closed");
    }
    if (runsInFlight > 0) {
      throw new IllegalStateException(
          "session for pipeline '" + pipelineId() + "' is running a frame: continue it between frames");
    }
    runsInFlight++;
  }

  /** A run has settled (every node it started is done); closes the tools if close() came meanwhile. */
  void runEnded() {
    synchronized (this) {
      runsInFlight--;
      if (!closeRequested || runsInFlight > 0 || toolsClosing) {
        return;
      }
      toolsClosing = true;
    }
    try {
      closeTools();
    } catch (RuntimeException e) {
      log.warn("closing the tools of a session of pipeline '{}' failed", pipelineId(), e);
    }
  }

  boolean belongsTo(DagPipelineService service) {
    return owner == service;
  }

  /**
   * Ends the session: no new run starts, and the stateful tools are closed now, or when the run in
   * flight settles. Later calls do nothing. Every tool is closed even if one throws; the first failure
   * is then rethrown (or, when closing after a run, logged) with the others suppressed.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closeRequested) {
        return;
      }
      closeRequested = true;
      if (runsInFlight > 0) {
        return; // runEnded closes them
      }
      toolsClosing = true;
    }
    closeTools();
  }

  private void closeTools() {
    try {
      closeStatefulTools();
    } finally {
      try {
        onClose.run(); // may close the shared tools of a replaced version: no run is inside them now
      } finally {
        toolsClosed.complete(null);
      }
    }
  }

  private void closeStatefulTools() {
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
