package io.framewire.streaming;

import io.framewire.metrics.StreamMetrics;
import io.framewire.pipeline.SessionTools;
import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.pipeline.VideoFilePipelineService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.UUID;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Admits streaming sessions up to the configured limit and owns them: each admitted connection gets
 * a {@link SessionActor} child, watched so that its slot frees (and the active-sessions gauge drops)
 * whenever it stops, however it stops. One ask per connection; nothing per frame.
 */
public final class SessionManager extends AbstractBehavior<SessionManager.Command> {

  /** Local only (never sent to another node): exempt from {@code pekko.actor.serialize-messages} checks. */
  public sealed interface Command extends org.apache.pekko.actor.NoSerializationVerificationNeeded {}

  /** Asks for a session of {@code pipelineId}; with {@code timings}, each result carries the node timings. */
  public record Admit(String pipelineId, boolean timings, ActorRef<AdmitReply> replyTo)
      implements Command {
    public Admit(String pipelineId, ActorRef<AdmitReply> replyTo) {
      this(pipelineId, false, replyTo);
    }
  }

  /**
   * The server is shutting down: admit no more sessions, and reply once none is left (the sessions
   * themselves are ended through their streams, see {@link SessionFlow}).
   */
  public record Drain(ActorRef<Done> replyTo) implements Command {}

  /** How many sessions are open (for tests and diagnostics). */
  public record GetActiveCount(ActorRef<Integer> replyTo) implements Command {}

  public sealed interface AdmitReply {}

  public record Admitted(String sessionId, ActorRef<SessionActor.Command> session, SessionTools tools)
      implements AdmitReply {}

  public record Rejected(StreamError error) implements AdmitReply {}

  public static Behavior<Command> create(
      VideoFilePipelineService pipelines, StreamSettings settings, StreamMetrics metrics) {
    return create(pipelines, settings, metrics, SessionActor.START_TIMEOUT);
  }

  /** As {@link #create(VideoFilePipelineService, StreamSettings, StreamMetrics)} with another session start timeout (tests). */
  static Behavior<Command> create(
      VideoFilePipelineService pipelines, StreamSettings settings, StreamMetrics metrics, Duration sessionStartTimeout) {
    // Supervised: an unexpected exception while handling one message (one connection's admission)
    // is logged and that message dropped; the manager keeps its state (the open sessions, its
    // children) and goes on admitting. Stopping or restarting would lose every open session.
    return Behaviors.supervise(
            Behaviors.<Command>setup(ctx -> new SessionManager(ctx, pipelines, settings, metrics, sessionStartTimeout)))
        .onFailure(SupervisorStrategy.resume());
  }

  private final VideoFilePipelineService pipelines;
  private final StreamSettings settings;
  private final StreamMetrics metrics;
  private final Duration sessionStartTimeout;
  private int active;
  /** The open sessions, to tell them when the server shuts down. */
  private final Set<ActorRef<SessionActor.Command>> sessions = new HashSet<>();
  private boolean draining;
  private final List<ActorRef<Done>> drainWaiters = new ArrayList<>();

  private SessionManager(
      ActorContext<Command> ctx,
      VideoFilePipelineService pipelines,
      StreamSettings settings,
      StreamMetrics metrics,
      Duration sessionStartTimeout) {
    super(ctx);
    this.sessionStartTimeout = sessionStartTimeout;
    this.pipelines = pipelines;
    this.settings = settings;
    this.metrics = metrics;
    metrics.sessionsActive.set(0);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Admit.class, this::onAdmit)
        .onMessage(Drain.class, this::onDrain)
        .onMessage(GetActiveCount.class, get -> {
          get.replyTo().tell(active);
          return this;
        })
        .onSignal(Terminated.class, this::onSessionStopped)
        .build();
  }

  private Behavior<Command> onAdmit(Admit admit) {
    if (!pipelines.isValidPipeline(admit.pipelineId())) {
      admit.replyTo().tell(new Rejected(StreamError.invalidPipeline(
          "unknown pipeline_id '" + admit.pipelineId() + "'; GET /pipelines lists the available ones")));
      return this;
    }
    if (draining) {
      admit.replyTo().tell(new Rejected(StreamError.serverShuttingDown()));
      return this;
    }
    if (active >= settings.maxSessions()) {
      admit.replyTo().tell(new Rejected(StreamError.tooManySessions(settings.maxSessions())));
      return this;
    }
    String sessionId = UUID.randomUUID().toString();
    SessionTools tools;
    try {
      tools = pipelines.openSession(admit.pipelineId(), admit.timings());
    } catch (UnknownPipelineException e) {
      // Deleted between the check above and now.
      admit.replyTo().tell(new Rejected(StreamError.invalidPipeline(
          "unknown pipeline_id '" + admit.pipelineId() + "'; GET /pipelines lists the available ones")));
      return this;
    } catch (RuntimeException e) {
      // A stateful tool that cannot be created fails this connection, never the manager (and with
      // it every open session, its children).
      getContext().getLog().error("cannot open the tools of pipeline '{}' for a new session", admit.pipelineId(), e);
      admit.replyTo().tell(new Rejected(StreamError.internalError()));
      return this;
    }
    ActorRef<SessionActor.Command> session;
    try {
      session = getContext().spawn(
          Behaviors.supervise(SessionActor.create(sessionId, admit.pipelineId(), tools,
                  BackpressurePolicy.of(settings), metrics, sessionStartTimeout))
              .onFailure(SupervisorStrategy.stop()),
          "session-" + sessionId);
    } catch (RuntimeException e) {
      tools.close();
      throw e;
    }
    getContext().watch(session);
    sessions.add(session);
    active++;
    metrics.sessionsActive.set(active);
    admit.replyTo().tell(new Admitted(sessionId, session, tools));
    return this;
  }

  private Behavior<Command> onDrain(Drain drain) {
    if (!draining) {
      sessions.forEach(session -> session.tell(SessionActor.ServerShuttingDown.INSTANCE));
    }
    draining = true;
    drainWaiters.add(drain.replyTo());
    replyIfDrained();
    return this;
  }

  private Behavior<Command> onSessionStopped(Terminated terminated) {
    sessions.remove(terminated.getRef());
    active--;
    metrics.sessionsActive.set(active);
    replyIfDrained();
    return this;
  }

  private void replyIfDrained() {
    if (draining && active == 0) {
      drainWaiters.forEach(waiter -> waiter.tell(Done.getInstance()));
      drainWaiters.clear();
    }
  }
}
