package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.metrics.StreamMetrics;
import io.framewire.streaming.BackpressurePolicy.State;
import java.util.concurrent.CompletableFuture;
import java.time.Duration;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.Effect;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The slow-down signal: first {@link BackpressurePolicy} as plain code, then the {@link SessionActor}
 * that owns it, with {@link ActorTestKit} (a real actor, a {@link TestProbe} as its control channel)
 * and with {@link BehaviorTestKit} (the same behaviour run synchronously, effects inspected).
 *
 * <p>Windows of 10 frames keep the arithmetic visible: "C" is a processed frame, "D" a dropped one,
 * and the drop rate is the share of D among the last 10.
 */
class BackpressureSlowdownTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  static final double DROP = 0.10;
  static final double SLOWDOWN = 0.30;

  static BackpressurePolicy policy() {
    return new BackpressurePolicy(DROP, SLOWDOWN, 10);
  }

  static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  /** A session actor of {@code pipelineId}; its tools open on its own thread, at once, and land in {@code ready}. */
  static org.apache.pekko.actor.typed.Behavior<SessionActor.Command> session(
      String id, String pipelineId, TestPipelines pipelines, CompletableFuture<FrameRunner> ready, StreamMetrics metrics) {
    return SessionActor.create(id, pipelineId, false, pipelines.sessions, Runnable::run, ready, policy(), metrics,
        START_TIMEOUT);
  }

  /** {@code n} runs with nothing dropped before them; none may signal. */
  static void clean(BackpressurePolicy policy, int n, double ms) {
    for (int i = 0; i < n; i++) {
      assertEquals(Optional.empty(), policy.onFramesDone(0, ms));
    }
  }

  // ---------------------------------------------------------------- the policy alone

  @Test
  void policyStaysNormalWithoutDrops() {
    BackpressurePolicy policy = policy();
    clean(policy, 25, 10);
    assertEquals(State.NORMAL, policy.state());
    assertEquals(0.0, policy.dropRate());
    assertEquals(25, policy.processed());
  }

  @Test
  void policyThresholdsAreStrictlyAbove() {
    BackpressurePolicy policy = policy();
    clean(policy, 10, 10);
    assertEquals(Optional.empty(), policy.onFramesDone(1, 10)); // last 10: 1 D → 0.10, not above
    assertEquals(0.1, policy.dropRate(), 1e-9);
    assertEquals(State.NORMAL, policy.state());

    assertEquals(Optional.empty(), policy.onFramesDone(1, 10)); // 2 D → 0.20: warning, no signal
    assertEquals(State.WARNING, policy.state());

    Optional<Answer.SlowDown> signal = policy.onFramesDone(2, 10); // 4 D → 0.40: critical
    assertEquals(State.CRITICAL, policy.state());
    assertEquals(Optional.of(new Answer.SlowDown(100.0, 0.4)), signal);
  }

  @Test
  void framesABusyModelRefusedCountAsDropsAndCanSignal() {
    BackpressurePolicy policy = policy();
    clean(policy, 10, 20);
    assertEquals(Optional.empty(), policy.onFramesShed(2)); // last 10: C×8 D D → 0.2, a warning
    assertEquals(State.WARNING, policy.state());
    Optional<Answer.SlowDown> signal = policy.onFramesShed(4); // C×4 D×6 → 0.6: critical
    assertEquals(State.CRITICAL, policy.state());
    assertEquals(0.6, signal.orElseThrow().dropRate());
    assertEquals(50.0, signal.orElseThrow().maxFps()); // from the runs' 20 ms
    assertEquals(6, policy.dropped());
    assertEquals(10, policy.processed());
  }

  @Test
  void policyAtExactlyTheSlowdownThresholdIsOnlyAWarning() {
    BackpressurePolicy policy = policy();
    clean(policy, 10, 10);
    assertEquals(Optional.empty(), policy.onFramesDone(3, 10)); // C×6 D D D C → 0.30
    assertEquals(0.3, policy.dropRate(), 1e-9);
    assertEquals(State.WARNING, policy.state());
  }

  @Test
  void policyGivesNoVerdictBelowTheMinimumSamples() {
    BackpressurePolicy policy = new BackpressurePolicy(DROP, SLOWDOWN, 20);
    assertEquals(Optional.empty(), policy.onFramesDone(5, 10)); // 6 samples, 5 dropped
    assertEquals(State.NORMAL, policy.state());
    assertEquals(Optional.empty(), policy.onFramesDone(2, 10)); // 9 samples, 7 dropped
    assertEquals(State.NORMAL, policy.state());
    assertEquals(7 / 9.0, policy.dropRate(), 1e-9); // measured all along, just not judged

    assertEquals(Optional.of(new Answer.SlowDown(100.0, 0.7)), policy.onFramesDone(0, 10)); // 10th sample
    assertEquals(State.CRITICAL, policy.state());
  }

  @Test
  void policyWithAWindowSmallerThanTheMinimumJudgesAFullWindow() {
    BackpressurePolicy policy = new BackpressurePolicy(DROP, SLOWDOWN, 3);
    assertEquals(Optional.empty(), policy.onFramesDone(1, 10)); // 2 samples
    assertEquals(Optional.of(new Answer.SlowDown(100.0, 0.333)), policy.onFramesDone(0, 10)); // 1/3, rounded
  }

  @Test
  void policySignalsOncePerOverloadEpisode() {
    BackpressurePolicy policy = policy();
    clean(policy, 10, 10);
    assertTrue(policy.onFramesDone(4, 10).isPresent()); // D D D D C → 0.40
    for (int i = 0; i < 5; i++) {
      assertEquals(Optional.empty(), policy.onFramesDone(4, 10), "still the same episode");
      assertEquals(State.CRITICAL, policy.state());
    }
    assertEquals(1, policy.slowdowns());
  }

  @Test
  void policyWarningInBetweenIsNotARecovery() {
    BackpressurePolicy policy = policy();
    clean(policy, 10, 10);
    assertTrue(policy.onFramesDone(4, 10).isPresent());
    clean(policy, 6, 10); // the oldest of the 4 D leaves the window: 3 D → 0.30
    assertEquals(State.WARNING, policy.state());
    assertEquals(Optional.empty(), policy.onFramesDone(4, 10), "back to critical without recovering");
    assertEquals(State.CRITICAL, policy.state());
    assertEquals(1, policy.slowdowns());
  }

  @Test
  void policySignalsAgainOnlyAfterRecoveringToNormal() {
    BackpressurePolicy policy = policy();
    clean(policy, 10, 10);
    assertTrue(policy.onFramesDone(4, 10).isPresent());
    clean(policy, 10, 10);
    assertEquals(State.NORMAL, policy.state());
    assertEquals(Optional.of(new Answer.SlowDown(100.0, 0.4)), policy.onFramesDone(4, 10));
    assertEquals(2, policy.slowdowns());
  }

  @Test
  void policyAdvertisesTheRateTheSmoothedProcessingTimeSustains() {
    BackpressurePolicy policy = policy();
    clean(policy, 10, 50);
    assertEquals(50.0, policy.smoothedProcessingMs(), 1e-9);
    assertEquals(20.0, policy.sustainableFps());
    // One slow run moves the average by a fifth of the difference: 50 + 0.2 × (100 − 50) = 60 ms.
    Optional<Answer.SlowDown> signal = policy.onFramesDone(4, 100);
    assertEquals(60.0, policy.smoothedProcessingMs(), 1e-9);
    assertEquals(Optional.of(new Answer.SlowDown(16.0, 0.4)), signal); // floor(1000 / 60)
  }

  @Test
  void policyAdvertisedRateIsBounded() {
    BackpressurePolicy fresh = policy();
    assertEquals(BackpressurePolicy.MAX_ADVERTISED_FPS, fresh.sustainableFps(), "nothing measured yet");
    fresh.onFramesDone(0, 0.2);
    assertEquals(BackpressurePolicy.MAX_ADVERTISED_FPS, fresh.sustainableFps(), "too fast to matter");
    BackpressurePolicy slow = policy();
    slow.onFramesDone(0, 5000);
    assertEquals(1.0, slow.sustainableFps(), "never advertises less than 1 fps");
  }

  @Test
  void policyDropRateForgetsDropsThatLeftTheWindow() {
    BackpressurePolicy policy = policy();
    clean(policy, 10, 10);
    policy.onFramesDone(4, 10);
    assertEquals(0.4, policy.dropRate(), 1e-9);
    clean(policy, 8, 10); // C×10 D D D D C, C×8: the last 10 start at the 4th D
    assertEquals(0.1, policy.dropRate(), 1e-9); // one D still inside
    clean(policy, 1, 10);
    assertEquals(0.0, policy.dropRate());
    assertEquals(4, policy.dropped(), "the session total keeps every drop");
  }

  @Test
  void policyCountsDropsWithoutARunAfterThem() {
    BackpressurePolicy policy = policy();
    clean(policy, 10, 10);
    policy.onDroppedOnly(3);
    assertEquals(3, policy.dropped());
    assertEquals(10, policy.processed());
    assertEquals(0.3, policy.dropRate(), 1e-9);
  }

  // ---------------------------------------------------------------- the session actor, asynchronously

  final TestPipelines pipelines = new TestPipelines();
  final StreamMetrics metrics = new StreamMetrics(false);

  static SessionActor.FramesDone done(long index, int droppedBefore, long endMillis) {
    return new SessionActor.FramesDone(index, droppedBefore, Duration.ofMillis(10).toNanos(), endMillis);
  }

  /** Tells {@code n} clean runs from frame {@code first} on; returns the next frame index. */
  static long tellClean(ActorRef<SessionActor.Command> session, long first, int n) {
    for (int i = 0; i < n; i++) {
      session.tell(done(first + i, 0, 1_000 + first + i));
    }
    return first + n;
  }

  @Test
  void sessionActorSendsOneSlowDownPerOverloadEpisodeOnItsControlChannel() {
    ActorRef<SessionActor.Command> session =
        testKit.spawn(session("s-1", "echo", pipelines, new CompletableFuture<>(), metrics));
    TestProbe<Answer> control = testKit.createTestProbe(Answer.class);
    session.tell(new SessionActor.StreamStarted(control.ref(), new CompletableFuture<>()));

    long next = tellClean(session, 0, 10);
    session.tell(done(next + 4, 4, 2_000)); // frames next..next+3 dropped, next+4 ran
    next += 5;
    control.expectMessage(new Answer.SlowDown(100.0, 0.4));

    for (int i = 0; i < 3; i++) { // still overloaded: no second warning
      session.tell(done(next + 4, 4, 3_000 + i));
      next += 5;
    }
    // Any reply to a later message proves the overload messages before it were handled.
    TestProbe<SessionActor.Status> status = testKit.createTestProbe(SessionActor.Status.class);
    session.tell(new SessionActor.GetStatus(status.ref()));
    SessionActor.Status overloaded = status.receiveMessage();
    assertEquals(State.CRITICAL, overloaded.state());
    assertEquals(1, overloaded.slowdowns());
    control.expectNoMessage(Duration.ofMillis(100));

    next = tellClean(session, next, 10); // recovered
    session.tell(done(next + 4, 4, 4_000));
    control.expectMessage(new Answer.SlowDown(100.0, 0.4));

    session.tell(new SessionActor.GetStatus(status.ref()));
    SessionActor.Status s = status.receiveMessage();
    assertEquals("s-1", s.sessionId());
    assertEquals("echo", s.pipelineId());
    assertEquals(10 + 1 + 3 + 10 + 1, s.processed());
    assertEquals(4 * 5, s.dropped());
    assertEquals(2, s.slowdowns());
    assertEquals(State.CRITICAL, s.state());
    assertEquals(0.4, s.dropRate(), 1e-9);
    assertEquals(10.0, s.smoothedProcessingMs(), 1e-9);
    assertEquals(4_000, s.lastProcessedMillis());

    assertEquals(2.0, metrics.slowdownSignals.get());
    assertEquals(25.0, metrics.framesProcessed.get());
    assertEquals(20.0, metrics.framesDropped.get());
    assertEquals(25.0, metrics.processingSeconds.collect().get(0).samples.stream()
        .filter(sample -> sample.name.equals("stream_frame_processing_seconds_count"))
        .findFirst().orElseThrow().value);
  }

  @Test
  void sessionActorStatusStartsEmptyAndCountsDropsWithoutARun() {
    ActorRef<SessionActor.Command> session = testKit.spawn(
        session("s-2", "echo", pipelines, new CompletableFuture<>(), metrics));
    TestProbe<SessionActor.Status> status = testKit.createTestProbe(SessionActor.Status.class);
    session.tell(new SessionActor.GetStatus(status.ref()));
    SessionActor.Status empty = status.receiveMessage();
    assertEquals(0, empty.processed());
    assertEquals(0, empty.dropped());
    assertEquals(State.NORMAL, empty.state());
    assertEquals(0L, empty.lastProcessedMillis());

    session.tell(new SessionActor.FramesDropped(3));
    session.tell(new SessionActor.GetStatus(status.ref()));
    assertEquals(3, status.receiveMessage().dropped());
    assertEquals(3.0, metrics.framesDropped.get());
  }

  @Test
  void sessionActorStopsWhenItsConnectionClosesAndClosesItsTools() {
    CompletableFuture<FrameRunner> ready = new CompletableFuture<>();
    ActorRef<SessionActor.Command> session = testKit.spawn(session("s-3", "stateful", pipelines, ready, metrics));
    FrameRunner runner = ready.orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join(); // the actor opened them
    assertEquals(1, pipelines.dag.openStatefulTools());
    assertEquals(java.util.Map.of("count", 1L), runner.run(0, new byte[0]).toCompletableFuture().join());
    TestProbe<Answer> control = testKit.createTestProbe(Answer.class);
    session.tell(new SessionActor.StreamStarted(control.ref(), new CompletableFuture<>()));
    session.tell(SessionActor.ConnectionClosed.INSTANCE);
    control.expectTerminated(session);
    assertEquals(0, pipelines.dag.openStatefulTools());
    control.expectNoMessage(Duration.ofMillis(50)); // a normal end sends the client nothing
  }

  // ---------------------------------------------------------------- the same behaviour, synchronously

  @Test
  void behaviorTestKitShowsNoStartTimerBeforeTheOpenAndTheSlowDownWithoutAnyThreads() {
    CompletableFuture<FrameRunner> ready = new CompletableFuture<>();
    BehaviorTestKit<SessionActor.Command> kit =
        BehaviorTestKit.create(session("s-4", "stateful", pipelines, ready, metrics));
    // No start timer before the tools are open: it starts when the open's result comes back (through
    // pipeToSelf, which this synchronous kit does not deliver through Behaviors.withMdc; the
    // ActorTestKit tests of SessionManagerTest cover the timer after the open).
    assertFalse(kit.hasEffects());
    assertFalse(ready.isDone());

    TestInbox<Answer> control = TestInbox.create();
    kit.run(new SessionActor.StreamStarted(control.getRef(), new CompletableFuture<>()));
    for (int i = 0; i < 10; i++) {
      kit.run(done(i, 0, 100 + i));
    }
    assertFalse(control.hasMessages());
    kit.run(done(14, 4, 200));
    control.expectMessage(new Answer.SlowDown(100.0, 0.4)); // already there: run() handled it
    kit.run(done(19, 4, 300));
    assertFalse(control.hasMessages());

    TestInbox<SessionActor.Status> status = TestInbox.create();
    kit.run(new SessionActor.GetStatus(status.getRef()));
    SessionActor.Status s = status.receiveMessage();
    assertEquals(12, s.processed());
    assertEquals(8, s.dropped());
    assertEquals(300, s.lastProcessedMillis());

    kit.run(SessionActor.ConnectionClosed.INSTANCE);
    assertFalse(kit.isAlive());
  }
}
