package io.framewire.sources;

import io.framewire.engine.DagPipelineService;
import io.framewire.engine.Failures;
import io.framewire.engine.FrameResult;
import io.framewire.engine.SessionTools;
import io.framewire.video.VideoFilePipelineService;
import io.framewire.video.VideoFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's pipeline session, kept on the pipeline's newest version. Before each frame it asks
 * the engine whether the session still runs the registered version (one map lookup); when the
 * pipeline was replaced it opens the new version's session, which continues the stateful tools' state
 * ({@link DagPipelineService#openSuccessor}), and runs that frame on it. The switch happens between two
 * frames: the frame loop runs one frame at a time, and {@link #run} is where the next one starts.
 *
 * <p>A deleted pipeline: the session goes on with the version it has (the camera keeps its answers and
 * state; a reconnect then fails until the pipeline exists again). A version that fails to open: the
 * session goes on with the old one and that version is not tried again; a later version is. Both are
 * told to the {@link Listener} once.
 */
final class LivePipeline implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LivePipeline.class);

  /** What the source actor hears: once per change, never per frame. */
  interface Listener {
    void switched(int from, int to);

    void switchFailed(int running, int failed, String detail);

    void deleted(int running);
  }

  private final VideoFilePipelineService videos;
  private final DagPipelineService dag;
  private final Executor opener;
  private final Listener listener;
  private SessionTools current; // guarded by this
  private boolean closed; // guarded by this
  // Read and written by the one frame running at a time (each run starts after the previous settled).
  private int failedVersion;
  private boolean deletedTold;

  /**
   * @param session the connection's session, opened on the pipeline's current version; closed with this
   * @param opener where a new version's tools are opened (may block): the blocking dispatcher
   */
  LivePipeline(VideoFilePipelineService videos, SessionTools session, Executor opener, Listener listener) {
    this.videos = videos;
    this.dag = videos.pipelines();
    this.current = session;
    this.opener = opener;
    this.listener = listener;
  }

  /** Runs one frame, on the newest version of the pipeline. One frame at a time. */
  CompletionStage<FrameResult> run(VideoFrame frame) {
    SessionTools session = session();
    if (dag.isLatest(session)) {
      return videos.runOnFrame(session, frame);
    }
    return successorOf(session).thenCompose(next -> videos.runOnFrame(next, frame));
  }

  /** The session running now (tests, the version shown). */
  synchronized SessionTools session() {
    return current;
  }

  private CompletionStage<SessionTools> successorOf(SessionTools session) {
    int latest = dag.currentVersion(session.pipelineId());
    if (latest == 0) {
      failedVersion = 0; // versions count from 1 again once it is created again
      if (!deletedTold) {
        deletedTold = true;
        listener.deleted(session.version());
      }
      return CompletableFuture.completedFuture(session);
    }
    deletedTold = false;
    if (latest == failedVersion) {
      return CompletableFuture.completedFuture(session);
    }
    return CompletableFuture.supplyAsync(() -> dag.openSuccessor(session), opener)
        .handle((next, error) -> {
          if (error != null) {
            failedVersion = latest;
            if (isClosed()) {
              return session; // the connection ended meanwhile: nothing to report
            }
            Throwable cause = Failures.unwrap(error);
            log.debug("pipeline '{}' version {} failed to open", session.pipelineId(), latest, cause);
            listener.switchFailed(session.version(), latest,
                cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
            return session;
          }
          if (!adopt(next)) {
            next.close(); // the connection ended during the switch: nothing will run on it
            return next;
          }
          listener.switched(session.version(), next.version());
          return next;
        });
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private synchronized boolean adopt(SessionTools next) {
    if (closed) {
      return false;
    }
    current = next;
    return true;
  }

  /** The connection ended: refuses new runs; the tools close once the last run settled. */
  @Override
  public void close() {
    SessionTools session;
    synchronized (this) {
      closed = true;
      session = current;
    }
    session.close();
  }
}
