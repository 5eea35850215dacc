package io.framewire.streaming;

import io.framewire.metrics.StreamMetrics;
import io.framewire.engine.Failures;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One streaming session: its counters, throttle state ({@link BackpressurePolicy}), per-session tool
 * instances, slow-down decisions, and its logs and metrics. Frames never pass through it: the
 * connection's stream tells it what happened, once per pipeline run, and it may answer on the
 * session's control channel. It stops when the connection ends, however it ends.
 *
 * <p>It is the one owner of the session's tools ({@link SessionPipeline}). It opens them itself, off
 * the admission path: {@link SessionPipelines#open} runs on the blocking executor and its result comes
 * back as a message ({@code pipeToSelf}), so a tool that is slow to open delays only its own
 * connection. The opened pipeline is handed to the connection through {@code ready} (the route waits
 * for it once, before the WebSocket upgrade). It closes the tools when it stops; the pipeline then
 * closes them once the last run has settled. If it stops while they are still opening, they are
 * closed as soon as the open completes.
 */
public final class SessionActor extends AbstractBehavior<SessionActor.Command> {

  public sealed interface Command {}

  /** For the close that may run after the actor is gone (on the thread that finished the open). */
  private static final Logger CLOSE_LOG = org.slf4j.LoggerFactory.getLogger(SessionActor.class);

  /** One pipeline run finished for {@code frameIndex}, after {@code droppedBefore} superseded frames. */
  public record FramesDone(long frameIndex, int droppedBefore, long processingNanos, long endMillis)
      implements Command {}

  /** Frames answered dropped with no run after them (the session ended while they waited). */
  public record FramesDropped(int count) implements Command {}

  /** {@code count} frames answered {@code dropped}, the last refused by a busy model; the session goes on. */
  public record FramesShed(int count) implements Command {}

  /**
   * The session ends with this error: the stream answered the client with it and is closing, or (for
   * {@code client_stalled}) dropped a client that no longer reads.
   */
  public record ErrorSent(StreamError error) implements Command {}

  /**
   * The connection's stream has been materialized (the WebSocket upgrade went through); {@code control}
   * is the session's channel to the client, merged into its answers.
   */
  public record StreamStarted(ActorRef<Answer> control, CompletableFuture<StreamError> shutdown)
      implements Command {}

  /**
   * The server is shutting down: the session's stream takes {@code server_shutting_down} as its last
   * inbound message, so the frame in flight is answered first, then the error, then the close.
   */
  public enum ServerShuttingDown implements Command { INSTANCE }

  /** The connection's stream has terminated (normally or not). */
  public enum ConnectionClosed implements Command { INSTANCE }

  /** The connection never started its stream (the client left during the upgrade): stop. */
  private enum StartTimeout implements Command { INSTANCE }

  /** The session's pipeline has opened ({@code pipeline} set) or could not be opened ({@code failure} set). */
  private record Opened(SessionPipeline pipeline, Throwable failure) implements Command {}

  /** Asks for a snapshot of the session's state (for tests and diagnostics, never per frame). */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  public record Status(
      String sessionId,
      String pipelineId,
      long processed,
      long dropped,
      long slowdowns,
      double dropRate,
      double smoothedProcessingMs,
      BackpressurePolicy.State state,
      long lastProcessedMillis) {}

  /**
   * @param pipelines opens the session's pipeline ({@code pipelineId}, with {@code timings})
   * @param openExecutor where the open runs: it may block (the server's blocking dispatcher)
   * @param ready completed by the actor with the opened pipeline, as the connection's runner, or
   *     exceptionally with a {@link StreamFailure} carrying the error the client gets
   * @param startTimeout how long the opened session waits for its stream to start
   */
  public static Behavior<Command> create(
      String sessionId,
      String pipelineId,
      boolean timings,
      SessionPipelines pipelines,
      Executor openExecutor,
      CompletableFuture<FrameRunner> ready,
      BackpressurePolicy policy,
      StreamMetrics metrics,
      Duration startTimeout) {
    Map<String, String> mdc = Map.of("session_id", sessionId, "pipeline_id", pipelineId);
    return Behaviors.withMdc(Command.class, mdc, Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      CompletableFuture<SessionPipeline> opening;
      try {
        opening = CompletableFuture.supplyAsync(() -> pipelines.open(sessionId, pipelineId, timings), openExecutor);
      } catch (RuntimeException rejected) { // the executor refused the task (shutting down)
        opening = CompletableFuture.failedFuture(rejected);
      }
      ctx.pipeToSelf(opening, Opened::new);
      return new SessionActor(ctx, sessionId, pipelineId, opening, ready, policy, metrics,
          () -> timers.startSingleTimer(StartTimeout.INSTANCE, startTimeout));
    })));
  }

  private final String sessionId;
  private final String pipelineId;
  /** The open in progress or done; PostStop closes what it yields, whenever it yields it. */
  private final CompletableFuture<SessionPipeline> opening;
  private final CompletableFuture<FrameRunner> ready;
  private final Runnable startTimer;
  private final BackpressurePolicy policy;
  private final StreamMetrics metrics;
  private final Logger log;
  private ActorRef<Answer> control; // set when the stream starts
  private CompletableFuture<StreamError> shutdown; // set when the stream starts
  private boolean shuttingDown;
  private long lastProcessedMillis;
  private boolean connectionClosed;
  private boolean errorSent;

  private SessionActor(
      ActorContext<Command> ctx,
      String sessionId,
      String pipelineId,
      CompletableFuture<SessionPipeline> opening,
      CompletableFuture<FrameRunner> ready,
      BackpressurePolicy policy,
      StreamMetrics metrics,
      Runnable startTimer) {
    super(ctx);
    this.sessionId = sessionId;
    this.pipelineId = pipelineId;
    this.opening = opening;
    this.ready = ready;
    this.startTimer = startTimer;
    this.policy = policy;
    this.metrics = metrics;
    this.log = ctx.getLog();
    logEvent("stream_connect", "session opened");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FramesDone.class, this::onFramesDone)
        .onMessage(Opened.class, this::onOpened)
        .onMessage(FramesDropped.class, this::onFramesDropped)
        .onMessage(FramesShed.class, this::onFramesShed)
        .onMessage(ErrorSent.class, this::onErrorSent)
        .onMessage(GetStatus.class, this::onGetStatus)
        .onMessage(StreamStarted.class, started -> {
          control = started.control();
          shutdown = started.shutdown();
          return passOnShutdown();
        })
        .onMessageEquals(ServerShuttingDown.INSTANCE, () -> {
          shuttingDown = true;
          return passOnShutdown();
        })
        .onMessageEquals(StartTimeout.INSTANCE, () -> control != null ? this : onConnectionClosed())
        .onMessageEquals(ConnectionClosed.INSTANCE, this::onConnectionClosed)
        .onSignal(PostStop.class, signal -> onPostStop())
        .build();
  }

  private Behavior<Command> onOpened(Opened opened) {
    if (opened.failure() != null) {
      Throwable cause = Failures.unwrap(opened.failure());
      StreamError error;
      if (cause instanceof StreamFailure known) {
        error = known.error();
      } else {
        // A stateful tool that cannot be created fails this connection only.
        log.error("cannot open the tools of pipeline '{}' for a new session", pipelineId, cause);
        error = StreamError.internalError();
      }
      ready.completeExceptionally(new StreamFailure(error, cause));
      return Behaviors.stopped();
    }
    if (shuttingDown) {
      // Drained while opening: the connection is refused, like any connection after the drain began.
      ready.completeExceptionally(new StreamFailure(StreamError.serverShuttingDown()));
      return Behaviors.stopped();
    }
    // Only now: a slow open must not count against the time the client has to start its stream.
    startTimer.run();
    ready.complete(opened.pipeline());
    return this;
  }

  /** Once the server is shutting down and the stream has started, the stream gets its last inbound message. */
  private Behavior<Command> passOnShutdown() {
    if (shuttingDown && shutdown != null) {
      shutdown.complete(StreamError.serverShuttingDown());
    }
    return this;
  }

  private Behavior<Command> onFramesDone(FramesDone done) {
    double processingMs = done.processingNanos() / 1_000_000.0;
    lastProcessedMillis = done.endMillis();
    metrics.framesProcessed.inc();
    metrics.framesDropped.inc(done.droppedBefore());
    metrics.processingSeconds.observe(processingMs / 1000.0);
    policy.onFramesDone(done.droppedBefore(), processingMs).ifPresent(this::sendSlowDown);
    return this;
  }

  private void sendSlowDown(Answer.SlowDown slowDown) {
    metrics.slowdownSignals.inc();
    if (control != null) {
      control.tell(slowDown);
    }
    logEvent("stream_slow_down", "slow_down sent: max_fps={} drop_rate={} smoothed_ms={}",
        slowDown.maxFps(), slowDown.dropRate(), Math.round(policy.smoothedProcessingMs() * 10) / 10.0);
  }

  private Behavior<Command> onFramesDropped(FramesDropped dropped) {
    metrics.framesDropped.inc(dropped.count());
    policy.onDroppedOnly(dropped.count());
    return this;
  }

  private Behavior<Command> onFramesShed(FramesShed shed) {
    metrics.framesDropped.inc(shed.count());
    policy.onFramesShed(shed.count()).ifPresent(this::sendSlowDown);
    return this;
  }

  private Behavior<Command> onErrorSent(ErrorSent sent) {
    errorSent = true;
    StreamError error = sent.error();
    metrics.errors.labels(error.code().wire()).inc();
    String eventType = error.code() == StreamError.Code.PIPELINE_FAILURE ? "stream_pipeline_error" : "stream_error";
    logEvent(Level.WARN, eventType, Map.of("error", error.code().wire()), "session error {}: {}", error.code(), error.detail());
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus get) {
    get.replyTo().tell(new Status(sessionId, pipelineId, policy.processed(), policy.dropped(), policy.slowdowns(),
        policy.dropRate(), policy.smoothedProcessingMs(), policy.state(), lastProcessedMillis));
    return this;
  }

  private Behavior<Command> onConnectionClosed() {
    connectionClosed = true;
    return Behaviors.stopped();
  }

  private Behavior<Command> onPostStop() {
    if (control != null && !connectionClosed && !errorSent) {
      // Stopped by a failure or from outside while the client is still connected: end its stream too.
      StreamError error = StreamError.internalError();
      metrics.errors.labels(error.code().wire()).inc();
      logEvent(Level.ERROR, "stream_error", Map.of("error", error.code().wire()),
          "session stopped unexpectedly; closing its connection");
      control.tell(error);
    }
    // Stopped before the open completed: the connection waiting for it is refused.
    ready.completeExceptionally(new StreamFailure(StreamError.internalError()));
    // Closes the tools now, or when the open completes if it still runs (nothing leaks); the pipeline
    // itself defers the close until its last run has settled.
    opening.thenAccept(pipeline -> {
      try {
        pipeline.close();
      } catch (RuntimeException e) {
        CLOSE_LOG.warn("closing the tools of a session of pipeline '{}' failed", pipelineId, e);
      }
    });
    logEvent("stream_disconnect",
        Map.of("frames_processed", String.valueOf(policy.processed()),
            "frames_dropped", String.valueOf(policy.dropped()),
            "slowdowns", String.valueOf(policy.slowdowns())),
        "session closed: frames_processed={} frames_dropped={} slowdowns={}",
        policy.processed(), policy.dropped(), policy.slowdowns());
    return this;
  }

  private void logEvent(String eventType, String message, Object... args) {
    logEvent(Level.INFO, eventType, Map.of(), message, args);
  }

  private void logEvent(String eventType, Map<String, String> fields, String message, Object... args) {
    logEvent(Level.INFO, eventType, fields, message, args);
  }

  /** One structured event; session_id and pipeline_id come from the actor's MDC (Behaviors.withMdc). */
  private void logEvent(Level level, String eventType, Map<String, String> fields, String message, Object... args) {
    StreamEvents.log(log, level, eventType, fields, message, args);
  }
}
