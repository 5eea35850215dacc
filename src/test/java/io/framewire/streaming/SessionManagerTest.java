package io.framewire.streaming;

import com.typesafe.config.ConfigFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.metrics.StreamMetrics;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.Effect;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Admission, slots and supervision of sessions. Each test spawns its own manager over real pipeline
 * services (tools run on the caller's thread) and its own metrics, so the gauge starts at zero.
 */
class SessionManagerTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static final int MAX_SESSIONS = 2;

  final TestPipelines pipelines = new TestPipelines();
  final StreamMetrics metrics = new StreamMetrics(false);
  final StreamSettings settings = StreamSettings.fromConfig(
      ConfigFactory.parseMap(Map.of("framewire.stream.max-sessions", MAX_SESSIONS)).withFallback(ConfigFactory.load()));
  final TestProbe<SessionManager.AdmitReply> replies = testKit.createTestProbe(SessionManager.AdmitReply.class);
  final TestProbe<Integer> counts = testKit.createTestProbe(Integer.class);

  ActorRef<SessionManager.Command> manager() {
    return testKit.spawn(SessionManager.create(pipelines.service, settings, metrics));
  }

  SessionManager.Admitted admit(ActorRef<SessionManager.Command> manager, String pipelineId) {
    manager.tell(new SessionManager.Admit(pipelineId, replies.ref()));
    return assertInstanceOf(SessionManager.Admitted.class, replies.receiveMessage());
  }

  StreamError reject(ActorRef<SessionManager.Command> manager, String pipelineId) {
    manager.tell(new SessionManager.Admit(pipelineId, replies.ref()));
    return assertInstanceOf(SessionManager.Rejected.class, replies.receiveMessage()).error();
  }

  int activeCount(ActorRef<SessionManager.Command> manager) {
    manager.tell(new SessionManager.GetActiveCount(counts.ref()));
    return counts.receiveMessage();
  }

  /** The manager hears of a stopped child a little after the child's watchers do: poll, no sleep. */
  void awaitActive(ActorRef<SessionManager.Command> manager, int expected) {
    counts.awaitAssert(() -> {
      assertEquals(expected, activeCount(manager));
      assertEquals(expected, metrics.sessionsActive.get());
      return null;
    });
  }

  @Test
  void anExceptionWhileHandlingOneMessageNeitherStopsTheManagerNorLosesItsSessions() {
    ActorRef<SessionManager.Command> manager = manager();
    admit(manager, "echo");
    // A message the handler throws on (a null reply-to: its tell fails), standing for any bug in it.
    manager.tell(new SessionManager.Admit("no-such-pipeline", null));
    assertEquals(1, activeCount(manager), "still answering, with its state");
    admit(manager, "echo");
    assertEquals(2, activeCount(manager));
  }

  @Test
  void admitsUpToTheLimitAndRejectsTheNextWithTooManySessions() {
    ActorRef<SessionManager.Command> manager = manager();
    assertEquals(0, activeCount(manager));
    SessionManager.Admitted first = admit(manager, "echo");
    SessionManager.Admitted second = admit(manager, "echo");
    assertNotEquals(first.sessionId(), second.sessionId());
    assertNotEquals(first.session(), second.session());
    assertEquals("echo", first.tools().pipelineId());
    assertEquals(2, activeCount(manager));
    assertEquals(2.0, metrics.sessionsActive.get());

    StreamError error = reject(manager, "echo");
    assertEquals(StreamError.tooManySessions(MAX_SESSIONS), error);
    assertTrue(error.detail().contains("2 open sessions"), error.detail());
    assertEquals(2, activeCount(manager), "a rejected connection takes no slot");
  }

  @Test
  void rejectsAnUnknownOrMissingPipelineWithInvalidPipeline() {
    ActorRef<SessionManager.Command> manager = manager();
    StreamError unknown = reject(manager, "no-such-pipeline");
    assertEquals(StreamError.INVALID_PIPELINE, unknown.code());
    assertTrue(unknown.detail().contains("'no-such-pipeline'"), unknown.detail());
    assertTrue(unknown.detail().contains("pipeline_id"), unknown.detail());

    StreamError missing = reject(manager, null);
    assertEquals(StreamError.INVALID_PIPELINE, missing.code());
    assertTrue(missing.detail().contains("pipeline_id"), missing.detail());
    assertEquals(0, activeCount(manager));
    assertEquals(0.0, metrics.sessionsActive.get());
  }

  @Test
  void invalidPipelineIsCheckedBeforeTheSessionLimit() {
    ActorRef<SessionManager.Command> manager = manager();
    admit(manager, "echo");
    admit(manager, "echo");
    assertEquals(StreamError.INVALID_PIPELINE, reject(manager, "nope").code());
  }

  @Test
  void aClosedConnectionFreesItsSlotAndTheGaugeFollows() {
    ActorRef<SessionManager.Command> manager = manager();
    SessionManager.Admitted first = admit(manager, "stateful");
    admit(manager, "echo");
    assertEquals(1, pipelines.dag.openStatefulTools());
    assertEquals(StreamError.TOO_MANY_SESSIONS, reject(manager, "echo").code());

    first.session().tell(SessionActor.ConnectionClosed.INSTANCE);
    replies.expectTerminated(first.session());
    awaitActive(manager, 1);
    assertTrue(first.tools().isClosed());
    assertEquals(0, pipelines.dag.openStatefulTools());

    admit(manager, "echo"); // the freed slot is usable again
    assertEquals(2, activeCount(manager));
    assertEquals(2.0, metrics.sessionsActive.get());
  }

  @Test
  void aSessionWhoseStreamNeverStartsStopsByItselfAfterTheStartTimeout() {
    ActorRef<SessionManager.Command> manager = testKit.spawn(
        SessionManager.create(pipelines.service, settings, metrics, Duration.ofMillis(300)));
    SessionManager.Admitted never = admit(manager, "stateful");
    SessionManager.Admitted started = admit(manager, "echo");
    TestProbe<Answer> control = testKit.createTestProbe(Answer.class);
    started.session().tell(new SessionActor.StreamStarted(control.ref(), new CompletableFuture<>()));

    replies.expectTerminated(never.session(), Duration.ofSeconds(5));
    assertTrue(never.tools().isClosed());
    assertEquals(0, pipelines.dag.openStatefulTools());
    awaitActive(manager, 1);

    // The started session outlives the timeout (its timer fired too; the stream had started).
    TestProbe<SessionActor.Status> status = testKit.createTestProbe(SessionActor.Status.class);
    started.session().tell(new SessionActor.GetStatus(status.ref()));
    assertEquals(started.sessionId(), status.receiveMessage().sessionId());
    assertFalse(started.tools().isClosed());
    control.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void drainTellsEveryOpenSessionItsServerIsShuttingDownAndRefusesNewOnes() {
    ActorRef<SessionManager.Command> manager = manager();
    SessionManager.Admitted running = admit(manager, "echo");
    SessionManager.Admitted notYetStarted = admit(manager, "echo");
    CompletableFuture<StreamError> runningShutdown = new CompletableFuture<>();
    running.session().tell(new SessionActor.StreamStarted(testKit.createTestProbe(Answer.class).ref(), runningShutdown));

    TestProbe<Done> drained = testKit.createTestProbe(Done.class);
    manager.tell(new SessionManager.Drain(drained.ref()));

    assertEquals(StreamError.serverShuttingDown(), runningShutdown.orTimeout(5, TimeUnit.SECONDS).join());
    // A session whose stream starts after the drain began is told at once.
    CompletableFuture<StreamError> lateShutdown = new CompletableFuture<>();
    notYetStarted.session().tell(
        new SessionActor.StreamStarted(testKit.createTestProbe(Answer.class).ref(), lateShutdown));
    assertEquals(StreamError.serverShuttingDown(), lateShutdown.orTimeout(5, TimeUnit.SECONDS).join());

    manager.tell(new SessionManager.Admit("echo", replies.ref()));
    assertEquals(StreamError.serverShuttingDown(),
        assertInstanceOf(SessionManager.Rejected.class, replies.receiveMessage()).error());

    drained.expectNoMessage(Duration.ofMillis(50)); // sessions still open
    running.session().tell(SessionActor.ConnectionClosed.INSTANCE);
    notYetStarted.session().tell(SessionActor.ConnectionClosed.INSTANCE);
    drained.expectMessage(Done.getInstance());
  }

  @Test
  void aSessionActorThatThrowsIsStoppedItsToolsClosedItsClientToldAndItsSlotFreed() {
    ActorRef<SessionManager.Command> manager = manager();
    SessionManager.Admitted admitted = admit(manager, "stateful");
    assertEquals(1, pipelines.dag.openStatefulTools());
    TestProbe<Answer> control = testKit.createTestProbe(Answer.class);
    admitted.session().tell(new SessionActor.StreamStarted(control.ref(), new CompletableFuture<>()));

    // A negative count makes the Prometheus counter throw inside the actor: a bug, as far as the
    // actor knows. Supervision stops it (no restart with half-updated state).
    admitted.session().tell(new SessionActor.FramesDropped(-1));

    control.expectMessage(StreamError.internalError()); // the client's stream is ended with an error
    control.expectTerminated(admitted.session());
    assertTrue(admitted.tools().isClosed());
    assertEquals(0, pipelines.dag.openStatefulTools());
    awaitActive(manager, 0);
    assertEquals(1.0, metrics.errors.labels(StreamError.INTERNAL_ERROR.wire()).get());

    admit(manager, "echo"); // the manager itself is unharmed
    assertEquals(1, activeCount(manager));
  }

  @Test
  void aSessionWhoseToolsCannotBeOpenedIsRefusedAndTheManagerCarriesOn() {
    ActorRef<SessionManager.Command> manager = manager();
    SessionManager.Admitted before = admit(manager, "echo");
    pipelines.plugin.breakFragile.set(true);

    assertEquals(StreamError.internalError(), reject(manager, "fragile"));
    assertEquals(1, activeCount(manager), "no slot taken by the refused session");
    assertEquals(1.0, metrics.sessionsActive.get());
    // The sessions already open, children of the manager, are untouched; new ones are admitted.
    TestProbe<SessionActor.Status> status = testKit.createTestProbe(SessionActor.Status.class);
    before.session().tell(new SessionActor.GetStatus(status.ref()));
    assertEquals(before.sessionId(), status.receiveMessage().sessionId());
    admit(manager, "echo");
    assertEquals(2, activeCount(manager));
  }

  @Test
  void manySessionsOpenedAndClosedLeaveTheGaugeAtZero() {
    ActorRef<SessionManager.Command> manager = manager();
    for (int round = 0; round < 5; round++) {
      List<SessionManager.Admitted> open = List.of(admit(manager, "stateful"), admit(manager, "echo"));
      open.forEach(a -> a.session().tell(SessionActor.ConnectionClosed.INSTANCE));
      open.forEach(a -> replies.expectTerminated(a.session()));
      awaitActive(manager, 0);
    }
    assertEquals(0, pipelines.dag.openStatefulTools());
  }

  // ------------------------------------------------------------ synchronously, with BehaviorTestKit

  @Test
  void behaviorTestKitShowsTheSpawnedWatchedChildAndTheReply() {
    BehaviorTestKit<SessionManager.Command> kit =
        BehaviorTestKit.create(SessionManager.create(pipelines.service, settings, metrics));
    TestInbox<SessionManager.AdmitReply> inbox = TestInbox.create();

    kit.run(new SessionManager.Admit("echo", inbox.getRef()));
    SessionManager.Admitted admitted = assertInstanceOf(SessionManager.Admitted.class, inbox.receiveMessage());
    Effect.Spawned<?> spawned = kit.expectEffectClass(Effect.Spawned.class);
    assertEquals("session-" + admitted.sessionId(), spawned.childName());
    assertEquals(admitted.session(), spawned.ref());
    Effect.Watched<?> watched = kit.expectEffectClass(Effect.Watched.class);
    assertEquals(admitted.session(), watched.other());
    assertEquals(1.0, metrics.sessionsActive.get());

    kit.run(new SessionManager.Admit("nope", inbox.getRef()));
    assertEquals(StreamError.INVALID_PIPELINE,
        assertInstanceOf(SessionManager.Rejected.class, inbox.receiveMessage()).error().code());
    assertFalse(kit.hasEffects(), "a rejection spawns nothing");

    TestInbox<Integer> count = TestInbox.create();
    kit.run(new SessionManager.GetActiveCount(count.getRef()));
    count.expectMessage(1);
  }
}
