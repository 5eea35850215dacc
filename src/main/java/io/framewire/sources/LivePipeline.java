package io.framewire.sources;

import io.framewire.engine.DagPipelineService;
import io.framewire.engine.Failures;
import io.framewire.engine.FrameResult;
import io.framewire.engine.SessionTools;
import io.framewire.events.EventPublisher;
import io.framewire.streaming.ResultEvents;
import io.framewire.video.VideoFilePipelineService;
import io.framewire.video.VideoFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live source's pipeline session, kept on the pipeline's newest version. Before each frame it asks
 * the engine whether the session still runs the registered version (one map lookup); when the
 * pipeline was replaced it opens the new version's session, which continues the stateful tools' state
 * ({@link DagPipelineService#openSuccessor}), and runs that frame on it. The switch happens between two
 * frames: the frame loop runs one frame at a time, and {@link #run} is where the next one starts.
 *
 * <p>A deleted pipeline: the session goes on with the version it has (the camera keeps its answers and
 * state; a reconnect then fails until the pipeline exists again). A version that fails to open: the
 * session goes on with the old one and that version is not tried again; a later version is. Both are
 * told to the {@link Listener} once.
 *
 * <p>A result with {@code events} hands them to the {@link EventPublisher} as {@code source:<id>},
 * with the version that ran the frame; the answer does not wait for that.
 *
 * <p>Lifetime: one connection runs frames on it. When the connection's stream ends ({@link #end}) it
 * runs no more frames; the source actor then either hands its session, idle, to the next connection
 * ({@link #takeIdle}), so that a reconnect keeps the tools' state, or closes it ({@link #close}).
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
  private final EventPublisher events;
  private final String stream;
  private SessionTools current; // guarded by this
  private boolean ended; // guarded by this; no new run starts
  private boolean closed; // guarded by this; closed or handed over: this owns no session any more
  // Completes when the run in flight (the switch included) has settled: every node it started is done.
  private CompletableFuture<Void> running = CompletableFuture.completedFuture(null); // guarded by this
  // Read and written by the one frame running at a time (each run starts after the previous settled).
  private int failedVersion;
  private boolean deletedTold;

  /**
   * @param session the session to run on: a new one, or the idle one of the source's previous
   *     connection ({@link #takeIdle}); moved to the newest version on the first frame if it is older
   * @param opener where a new version's tools are opened (may block): the blocking dispatcher
   */
  LivePipeline(VideoFilePipelineService videos, SessionTools session, Executor opener, Listener listener) {
    this(videos, session, opener, listener, EventPublisher.NONE, "source:unnamed");
  }

  /**
   * @param events where the frames' events go
   * @param stream their stream: {@code source:<id>}
   */
  LivePipeline(VideoFilePipelineService videos, SessionTools session, Executor opener, Listener listener,
      EventPublisher events, String stream) {
    this.videos = videos;
    this.dag = videos.pipelines();
    this.current = session;
    this.opener = opener;
    this.listener = listener;
    this.events = events;
    this.stream = stream;
  }

  /** Runs one frame, on the newest version of the pipeline. One frame at a time; none after {@link #end}. */
  CompletionStage<FrameResult> run(VideoFrame frame) {
    SessionTools session;
    CompletableFuture<Void> settled = new CompletableFuture<>();
    synchronized (this) {
      if (ended) {
        return CompletableFuture.failedFuture(new IllegalStateException("the connection has ended"));
      }
      session = current;
      running = settled;
    }
    CompletionStage<FrameResult> result;
    try {
      result = dag.isLatest(session)
          ? runOn(session, frame)
          : successorOf(session).thenCompose(next -> runOn(next, frame));
    } catch (RuntimeException e) {
      settled.complete(null);
      throw e;
    }
    // The caller gets a dependent stage: its frame timeout completing that stage must not count as
    // settled, since the run may still be inside the tools.
    return result.whenComplete((done, error) -> settled.complete(null));
  }

  private CompletionStage<FrameResult> runOn(SessionTools session, VideoFrame frame) {
    CompletionStage<FrameResult> result = videos.runOnFrame(session, frame);
    if (events == EventPublisher.NONE) {
      return result;
    }
    // The decoded frame, encoded to JPEG only if a snapshot is due, on the snapshot thread: the
    // publisher keeps it only then, in its bounded snapshot queue.
    return result.thenApply(done -> {
      ResultEvents.publish(events, stream, session.pipelineId(), session.version(), done.frameIndex(),
          frame.timeMillis(), done.result(), frame.frame()::jpeg);
      return done;
    });
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
            if (hasEnded()) {
              return session; // the connection ended meanwhile: nothing to report
            }
            Throwable cause = Failures.unwrap(error);
            log.debug("pipeline '{}' version {} failed to open", session.pipelineId(), latest, cause);
            listener.switchFailed(session.version(), latest,
                cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName());
            return session;
          }
          adopt(next); // even after end(): the old session was closed, the state lives in next now
          listener.switched(session.version(), next.version());
          return next;
        });
  }

  private synchronized boolean hasEnded() {
    return ended;
  }

  private synchronized void adopt(SessionTools next) {
    current = next;
  }

  /** The connection's stream has ended: no new run starts. The run in flight (if any) still settles. */
  synchronized void end() {
    ended = true;
  }

  /**
   * Hands the session over to the source's next connection, with its tools' state, if it is idle: the
   * connection has ended ({@link #end}) and its last run (or switch) has settled, so no run can be
   * inside its tools any more. After that this owns nothing ({@link #close} does nothing).
   *
   * @return the session, or null if a run is still inside it (then {@link #close} it) or it was closed
   */
  synchronized SessionTools takeIdle() {
    if (!ended || closed || !running.isDone()) {
      return null;
    }
    closed = true;
    return current;
  }

  /**
   * Ends this for good (the source stopped, failed or left the session behind): refuses new runs, and
   * closes the session once the run in flight (if any) has settled, so never under a running tool.
   */
  @Override
  public void close() {
    CompletableFuture<Void> last;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      ended = true;
      last = running;
    }
    last.whenComplete((done, error) -> session().close()); // a switch in flight may have moved current on
  }
}
