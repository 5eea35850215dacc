package io.framewire.streaming;

import io.framewire.settings.FramewireSettings;
import com.typesafe.config.ConfigFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.metrics.StreamMetrics;
import io.framewire.testing.TestServer;
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
  final StreamSettings settings = FramewireSettings.from(
      ConfigFactory.parseMap(Map.of("framewire.stream.max-sessions", MAX_SESSIONS)).withFallback(ConfigFactory.load())).stream();
  final TestProbe<SessionManager.AdmitReply> replies = testKit.createTestProbe(SessionManager.AdmitReply.class);
  final TestProbe<Integer> counts = testKit.createTestProbe(Integer.class);

  ActorRef<SessionManager.Command> manager() {
    return manager(settings);
  }

  /** Tools open on the actor's own thread here (an executor that runs at once), except where a test says. */
  ActorRef<SessionManager.Command> manager(StreamSettings settings) {
    return testKit.spawn(SessionManager.create(pipelines.sessions, Runnable::run, settings, metrics));
  }

  /** Admits a session and waits until its tools are open (its runner is ready). */
  SessionManager.Admitted admit(ActorRef<SessionManager.Command> manager, String pipelineId) {
    SessionManager.Admitted admitted = admitOnly(manager, pipelineId);
    runner(admitted);
    return admitted;
  }

  SessionManager.Admitted admitOnly(ActorRef<SessionManager.Command> manager, String pipelineId) {
    manager.tell(new SessionManager.Admit(pipelineId, false, replies.ref()));
    return assertInstanceOf(SessionManager.Admitted.class, replies.receiveMessage());
  }

  static FrameRunner runner(SessionManager.Admitted admitted) {
    try {
      return admitted.runner().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the session's tools did not open", e);
    }
  }

  /** The error a session whose tools did not open hands its connection. */
  static StreamError openFailure(SessionManager.Admitted admitted) {
    CompletableFuture<FrameRunner> runner = admitted.runner().toCompletableFuture();
    java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
        java.util.concurrent.ExecutionException.class, () -> runner.get(5, TimeUnit.SECONDS));
    return assertInstanceOf(StreamFailure.class, failed.getCause()).error();
  }

  static StreamSettings settings(Map<String, Object> overrides) {
    return FramewireSettings.from(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load())).stream();
  }

  StreamError reject(ActorRef<SessionManager.Command> manager, String pipelineId) {
    manager.tell(new SessionManager.Admit(pipelineId, false, replies.ref()));
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
    manager.tell(new SessionManager.Admit("no-such-pipeline", false, null));
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
    assertEquals(StreamError.Code.INVALID_PIPELINE, unknown.code());
    assertTrue(unknown.detail().contains("'no-such-pipeline'"), unknown.detail());
    assertTrue(unknown.detail().contains("pipeline_id"), unknown.detail());

    StreamError missing = reject(manager, null);
    assertEquals(StreamError.Code.INVALID_PIPELINE, missing.code());
    assertTrue(missing.detail().contains("pipeline_id"), missing.detail());
    assertEquals(0, activeCount(manager));
    assertEquals(0.0, metrics.sessionsActive.get());
  }

  @Test
  void invalidPipelineIsCheckedBeforeTheSessionLimit() {
    ActorRef<SessionManager.Command> manager = manager();
    admit(manager, "echo");
    admit(manager, "echo");
    assertEquals(StreamError.Code.INVALID_PIPELINE, reject(manager, "nope").code());
  }

  @Test
  void eachSessionRunsOnToolsOfItsOwn() {
    ActorRef<SessionManager.Command> manager = manager();
    FrameRunner first = runner(admit(manager, "stateful"));
    FrameRunner second = runner(admit(manager, "stateful"));
    assertEquals(2, pipelines.dag.openStatefulTools());
    assertEquals(Map.of("count", 1L), first.run(0, new byte[0]).toCompletableFuture().join());
    assertEquals(Map.of("count", 2L), first.run(1, new byte[0]).toCompletableFuture().join());
    assertEquals(Map.of("count", 1L), second.run(0, new byte[0]).toCompletableFuture().join());
  }

  // ------------------------------------------- tools open in the session, off the admission path

  /** Sessions open their tools on these threads, as on the server's blocking dispatcher. */
  static final java.util.concurrent.ExecutorService openPool = java.util.concurrent.Executors.newCachedThreadPool();

  @AfterAll
  static void stopOpenPool() {
    openPool.shutdownNow();
  }

  ActorRef<SessionManager.Command> managerOpeningOnPool(StreamSettings settings) {
    return testKit.spawn(SessionManager.create(pipelines.sessions, openPool, settings, metrics));
  }

  /** Admits a session of {@code slow} and waits until its tool is stuck in its creation. */
  SessionManager.Admitted admitStuckInOpen(ActorRef<SessionManager.Command> manager) throws InterruptedException {
    pipelines.plugin.holdSlow.set(true);
    SessionManager.Admitted slow = admitOnly(manager, "slow"); // answered while the tool cannot open
    assertTrue(pipelines.plugin.slowOpening.await(5, TimeUnit.SECONDS), "the session never began opening");
    assertFalse(slow.runner().toCompletableFuture().isDone());
    return slow;
  }

  @Test
  void aToolStuckInItsOpenDelaysNoOtherConnection() throws Exception {
    ActorRef<SessionManager.Command> manager = managerOpeningOnPool(settings);
    SessionManager.Admitted slow = admitStuckInOpen(manager);

    // Another connection is admitted, opened and answered while the first one's tool still opens.
    FrameRunner other = runner(admit(manager, "stateful"));
    assertEquals(Map.of("count", 1L), other.run(0, new byte[0]).toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals(2, activeCount(manager));
    assertFalse(slow.runner().toCompletableFuture().isDone());

    pipelines.plugin.releaseSlow.countDown();
    assertEquals(Map.of("slow", true), runner(slow).run(0, new byte[0]).toCompletableFuture().get(5, TimeUnit.SECONDS));
    assertEquals(1, pipelines.plugin.slowOpen.get());
    slow.session().tell(SessionActor.ConnectionClosed.INSTANCE);
    replies.expectTerminated(slow.session());
    assertEquals(0, pipelines.plugin.slowOpen.get(), "tools not closed when the session ended");
  }

  @Test
  void aClientThatLeavesWhileItsToolsOpenLeavesNothingOpen() throws Exception {
    // The client left during the handshake: the stream never starts. The tools, once open, are
    // closed by the start timeout, which counts from the open (a slow open is not held against it).
    ActorRef<SessionManager.Command> manager = managerOpeningOnPool(settings(Map.of(
        "framewire.stream.max-sessions", MAX_SESSIONS, "framewire.stream.session-start-timeout-ms", 300)));
    SessionManager.Admitted slow = admitStuckInOpen(manager);
    pipelines.plugin.releaseSlow.countDown();
    runner(slow); // opened...
    replies.expectTerminated(slow.session(), Duration.ofSeconds(5)); // ...no stream came...
    assertEquals(0, pipelines.plugin.slowOpen.get()); // ...and closed
    assertEquals(0, pipelines.dag.openStatefulTools());
    awaitActive(manager, 0);
  }

  @Test
  void aSessionStoppedWhileItsToolsOpenClosesThemOnceTheyAreOpen() throws Exception {
    ActorRef<SessionManager.Command> manager = managerOpeningOnPool(settings);
    SessionManager.Admitted slow = admitStuckInOpen(manager);
    // A bug in the session actor while its tools open: supervision stops it at once.
    slow.session().tell(new SessionActor.FramesDropped(-1));
    replies.expectTerminated(slow.session());
    assertEquals(StreamError.internalError(), openFailure(slow)); // the waiting connection is refused
    awaitActive(manager, 0);

    pipelines.plugin.releaseSlow.countDown(); // the open completes after its session is gone
    TestServer.await("the late-opened tool is closed", () -> pipelines.plugin.slowOpen.get() == 0
        && pipelines.dag.openStatefulTools() == 0);
  }

  @Test
  void aDrainWhileToolsOpenRefusesThatConnectionWithServerShuttingDownAndClosesTheTools() throws Exception {
    ActorRef<SessionManager.Command> manager = managerOpeningOnPool(settings);
    SessionManager.Admitted slow = admitStuckInOpen(manager);
    TestProbe<Done> drained = testKit.createTestProbe(Done.class);
    manager.tell(new SessionManager.Drain(drained.ref()));
    drained.expectNoMessage(Duration.ofMillis(50)); // the opening session still counts

    pipelines.plugin.releaseSlow.countDown();
    assertEquals(StreamError.serverShuttingDown(), openFailure(slow));
    drained.expectMessage(Done.getInstance());
    TestServer.await("the tool is closed", () -> pipelines.plugin.slowOpen.get() == 0);
  }

  @Test
  void aClosedConnectionFreesItsSlotAndTheGaugeFollows() {
    ActorRef<SessionManager.Command> manager = manager();
    SessionManager.Admitted first = admit(manager, "stateful");
    admit(manager, "echo");
    assertEquals(1, pipelines.dag.openStatefulTools());
    assertEquals(StreamError.Code.TOO_MANY_SESSIONS, reject(manager, "echo").code());

    first.session().tell(SessionActor.ConnectionClosed.INSTANCE);
    replies.expectTerminated(first.session());
    awaitActive(manager, 1);
    assertEquals(0, pipelines.dag.openStatefulTools());

    admit(manager, "echo"); // the freed slot is usable again
    assertEquals(2, activeCount(manager));
    assertEquals(2.0, metrics.sessionsActive.get());
  }

  @Test
  void aSessionWhoseStreamNeverStartsStopsByItselfAfterTheStartTimeout() {
    ActorRef<SessionManager.Command> manager = manager(settings(Map.of(
        "framewire.stream.max-sessions", MAX_SESSIONS, "framewire.stream.session-start-timeout-ms", 300)));
    SessionManager.Admitted never = admit(manager, "stateful");
    SessionManager.Admitted started = admit(manager, "echo");
    TestProbe<Answer> control = testKit.createTestProbe(Answer.class);
    started.session().tell(new SessionActor.StreamStarted(control.ref(), new CompletableFuture<>()));

    replies.expectTerminated(never.session(), Duration.ofSeconds(5));
    assertEquals(0, pipelines.dag.openStatefulTools());
    awaitActive(manager, 1);

    // The started session outlives the timeout (its timer fired too; the stream had started).
    TestProbe<SessionActor.Status> status = testKit.createTestProbe(SessionActor.Status.class);
    started.session().tell(new SessionActor.GetStatus(status.ref()));
    assertEquals(started.sessionId(), status.receiveMessage().sessionId());
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

    manager.tell(new SessionManager.Admit("echo", false, replies.ref()));
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
    assertEquals(0, pipelines.dag.openStatefulTools());
    awaitActive(manager, 0);
    assertEquals(1.0, metrics.errors.labels(StreamError.Code.INTERNAL_ERROR.wire()).get());

    admit(manager, "echo"); // the manager itself is unharmed
    assertEquals(1, activeCount(manager));
  }

  @Test
  void aSessionWhoseToolsCannotBeOpenedIsRefusedAndTheManagerCarriesOn() {
    ActorRef<SessionManager.Command> manager = manager();
    SessionManager.Admitted before = admit(manager, "echo");
    pipelines.plugin.breakFragile.set(true);

    // Admitted (the manager opens nothing), then the session's open fails: the connection gets
    // internal_error, the session stops and its slot is freed.
    SessionManager.Admitted fragile = admitOnly(manager, "fragile");
    assertEquals(StreamError.internalError(), openFailure(fragile));
    replies.expectTerminated(fragile.session());
    awaitActive(manager, 1);
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
        BehaviorTestKit.create(SessionManager.create(pipelines.sessions, Runnable::run, settings, metrics));
    TestInbox<SessionManager.AdmitReply> inbox = TestInbox.create();

    kit.run(new SessionManager.Admit("echo", false, inbox.getRef()));
    SessionManager.Admitted admitted = assertInstanceOf(SessionManager.Admitted.class, inbox.receiveMessage());
    Effect.Spawned<?> spawned = kit.expectEffectClass(Effect.Spawned.class);
    assertEquals("session-" + admitted.sessionId(), spawned.childName());
    assertEquals(admitted.session(), spawned.ref());
    Effect.Watched<?> watched = kit.expectEffectClass(Effect.Watched.class);
    assertEquals(admitted.session(), watched.other());
    assertEquals(1.0, metrics.sessionsActive.get());

    kit.run(new SessionManager.Admit("nope", false, inbox.getRef()));
    assertEquals(StreamError.Code.INVALID_PIPELINE,
        assertInstanceOf(SessionManager.Rejected.class, inbox.receiveMessage()).error().code());
    assertFalse(kit.hasEffects(), "a rejection spawns nothing");

    TestInbox<Integer> count = TestInbox.create();
    kit.run(new SessionManager.GetActiveCount(count.getRef()));
    count.expectMessage(1);
  }
}
