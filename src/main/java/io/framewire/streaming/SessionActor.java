package io.framewire.streaming;

import io.framewire.metrics.StreamMetrics;
import io.framewire.pipeline.SessionTools;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * session's control channel. It stops when the connection ends, however it ends, and closes its
 * tools when it stops.
 */
public final class SessionActor extends AbstractBehavior<SessionActor.Command> {

  public sealed interface Command {}

  /** One pipeline run finished for {@code frameIndex}, after {@code droppedBefore} superseded frames. */
  public record FramesDone(long frameIndex, int droppedBefore, long processingNanos, long endMillis)
      implements Command {}

  /** Frames answered dropped with no run after them (the session ended while they waited). */
  public record FramesDropped(int count) implements Command {}

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

  /** How long an admitted session may wait for its WebSocket stream to start. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(10);

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

  public static Behavior<Command> create(
      String sessionId,
      String pipelineId,
      SessionTools tools,
      BackpressurePolicy policy,
      StreamMetrics metrics) {
    return create(sessionId, pipelineId, tools, policy, metrics, START_TIMEOUT);
  }

  /** As {@link #create(String, String, SessionTools, BackpressurePolicy, StreamMetrics)} with another start timeout (tests). */
  static Behavior<Command> create(
      String sessionId,
      String pipelineId,
      SessionTools tools,
      BackpressurePolicy policy,
      StreamMetrics metrics,
      Duration startTimeout) {
    Map<String, String> mdc = Map.of("session_id", sessionId, "pipeline_id", pipelineId);
    return Behaviors.withMdc(Command.class, mdc, Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startSingleTimer(StartTimeout.INSTANCE, startTimeout);
      return new SessionActor(ctx, sessionId, pipelineId, tools, policy, metrics);
    })));
  }

  private final String sessionId;
  private final String pipelineId;
  private final SessionTools tools;
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
      SessionTools tools,
      BackpressurePolicy policy,
      StreamMetrics metrics) {
    super(ctx);
    this.sessionId = sessionId;
    this.pipelineId = pipelineId;
    this.tools = tools;
    this.policy = policy;
    this.metrics = metrics;
    this.log = ctx.getLog();
    logEvent("stream_connect", "session opened");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FramesDone.class, this::onFramesDone)
        .onMessage(FramesDropped.class, this::onFramesDropped)
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
    policy.onFramesDone(done.droppedBefore(), processingMs).ifPresent(slowDown -> {
      metrics.slowdownSignals.inc();
      if (control != null) {
        control.tell(slowDown);
      }
      logEvent("stream_slow_down", "slow_down sent: max_fps={} drop_rate={} smoothed_ms={}",
          slowDown.maxFps(), slowDown.dropRate(), Math.round(policy.smoothedProcessingMs() * 10) / 10.0);
    });
    return this;
  }

  private Behavior<Command> onFramesDropped(FramesDropped dropped) {
    metrics.framesDropped.inc(dropped.count());
    policy.onDroppedOnly(dropped.count());
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
    tools.close();
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
