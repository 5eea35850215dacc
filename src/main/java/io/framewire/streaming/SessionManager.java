package io.framewire.streaming;

import io.framewire.metrics.StreamMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
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
 *
 * <p>It only admits (the pipeline exists, the server is not draining, a slot is free) and spawns the
 * session; it never opens tools, so a tool that is slow to open never delays another connection's
 * admission. The session actor opens them (see {@link SessionActor}).
 */
public final class SessionManager extends AbstractBehavior<SessionManager.Command> {

  /** Local only (never sent to another node): exempt from {@code pekko.actor.serialize-messages} checks. */
  public sealed interface Command extends org.apache.pekko.actor.NoSerializationVerificationNeeded {}

  /** Asks for a session of {@code pipelineId}; with {@code timings}, each result carries the node timings. */
  public record Admit(String pipelineId, boolean timings, ActorRef<AdmitReply> replyTo)
      implements Command {}

  /**
   * The server is shutting down: admit no more sessions, and reply once none is left (the sessions
   * themselves are ended through their streams, see {@link SessionFlow}).
   */
  public record Drain(ActorRef<Done> replyTo) implements Command {}

  /** How many sessions are open (for tests and diagnostics). */
  public record GetActiveCount(ActorRef<Integer> replyTo) implements Command {}

  public sealed interface AdmitReply {}

  /**
   * A slot is the connection's. {@code runner} completes once the session's tools are open (the route
   * waits for it, once, before upgrading), or fails with a {@link StreamFailure} carrying the error the
   * client gets (a tool that cannot be opened: {@code internal_error}).
   */
  public record Admitted(String sessionId, ActorRef<SessionActor.Command> session, CompletionStage<FrameRunner> runner)
      implements AdmitReply {}

  public record Rejected(StreamError error) implements AdmitReply {}

  /**
   * @param pipelines what sessions run ({@link PipelineSessions} over the engine, or a test's own)
   * @param openExecutor where sessions open their tools, which may block: the server's blocking dispatcher
   */
  public static Behavior<Command> create(
      SessionPipelines pipelines, Executor openExecutor, StreamSettings settings, StreamMetrics metrics) {
    // Supervised: an unexpected exception while handling one message (one connection's admission)
    // is logged and that message dropped; the manager keeps its state (the open sessions, its
    // children) and goes on admitting. Stopping or restarting would lose every open session.
    return Behaviors.supervise(
            Behaviors.<Command>setup(ctx -> new SessionManager(ctx, pipelines, openExecutor, settings, metrics)))
        .onFailure(SupervisorStrategy.resume());
  }

  private final SessionPipelines pipelines;
  private final Executor openExecutor;
  private final StreamSettings settings;
  private final StreamMetrics metrics;
  private int active;
  /** The open sessions, to tell them when the server shuts down. */
  private final Set<ActorRef<SessionActor.Command>> sessions = new HashSet<>();
  private boolean draining;
  private final List<ActorRef<Done>> drainWaiters = new ArrayList<>();

  private SessionManager(
      ActorContext<Command> ctx,
      SessionPipelines pipelines,
      Executor openExecutor,
      StreamSettings settings,
      StreamMetrics metrics) {
    super(ctx);
    this.pipelines = pipelines;
    this.openExecutor = openExecutor;
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
    if (!pipelines.exists(admit.pipelineId())) {
      admit.replyTo().tell(new Rejected(StreamError.unknownPipeline(admit.pipelineId())));
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
    CompletableFuture<FrameRunner> ready = new CompletableFuture<>();
    ActorRef<SessionActor.Command> session = getContext().spawn(
        Behaviors.supervise(SessionActor.create(sessionId, admit.pipelineId(), admit.timings(), pipelines,
                openExecutor, ready, BackpressurePolicy.of(settings), metrics, settings.sessionStartTimeout()))
            .onFailure(SupervisorStrategy.stop()),
        "session-" + sessionId);
    getContext().watch(session);
    sessions.add(session);
    active++;
    metrics.sessionsActive.set(active);
    admit.replyTo().tell(new Admitted(sessionId, session, ready.minimalCompletionStage()));
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
