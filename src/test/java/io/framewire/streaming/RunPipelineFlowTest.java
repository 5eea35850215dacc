package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.junit.jupiter.api.Test;

/** Stage 5 alone, with a pipeline whose runs the test completes by hand. */
class RunPipelineFlowTest extends StageTestSupport {

  /** A pipeline the test drives: each run's future is created on call and completed by the test. */
  static final class ControlledRunner implements FrameRunner {
    final BlockingQueue<Long> calls = new LinkedBlockingQueue<>();
    final Map<Long, CompletableFuture<Map<String, Object>>> runs = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Map<String, Object>> run(long frameIndex, byte[] frameBytes) {
      CompletableFuture<Map<String, Object>> run = runs.computeIfAbsent(frameIndex, i -> new CompletableFuture<>());
      calls.add(frameIndex); // announced only once the test can find the run
      return run;
    }

    /** Waits until the stage has called the pipeline for {@code frameIndex}, then returns its run. */
    CompletableFuture<Map<String, Object>> awaitCall(long frameIndex) throws InterruptedException {
      Long called = calls.poll(5, TimeUnit.SECONDS);
      assertEquals(frameIndex, called, "pipeline call");
      return runs.get(frameIndex);
    }
  }


  final ControlledRunner runner = new ControlledRunner();
  final TestProbe<SessionActor.Command> session = testKit.createTestProbe(SessionActor.Command.class);

  Pair<TestPublisher.Probe<LatestFrameWins.Batch<Frame>>, TestSubscriber.Probe<Answer>> run(Duration timeout) {
    return probe(RunPipelineFlow.flow(runner, timeout, session.ref()));
  }

  @Test
  void droppedAnswersComeBeforeTheResultAndTheSessionHearsOnce() throws Exception {
    var probes = run(Duration.ofSeconds(5));
    probes.second().request(10);
    probes.first().sendNext(new LatestFrameWins.Run(3, 2, frame(5)));
    CompletableFuture<Map<String, Object>> running = runner.awaitCall(5);
    probes.second().expectNoMessage(Duration.ofMillis(50)); // nothing before the run ends
    running.complete(Map.of("objects", 2));
    assertEquals(new Answer.Dropped(3), probes.second().expectNext());
    assertEquals(new Answer.Dropped(4), probes.second().expectNext());
    assertEquals(new Answer.Result(5, Map.of("objects", 2)), probes.second().expectNext());

    SessionActor.FramesDone done = session.expectMessageClass(SessionActor.FramesDone.class);
    assertEquals(5, done.frameIndex());
    assertEquals(2, done.droppedBefore());
    assertTrue(done.processingNanos() > 0);
    assertTrue(done.endMillis() <= System.currentTimeMillis());
    session.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void oneFrameRunsAtATime() throws Exception {
    var probes = run(Duration.ofSeconds(5));
    probes.second().request(10);
    probes.first().sendNext(new LatestFrameWins.Run(0, 0, frame(0)));
    probes.first().sendNext(new LatestFrameWins.Run(1, 0, frame(1)));
    CompletableFuture<Map<String, Object>> first = runner.awaitCall(0);
    assertNull(runner.calls.poll(100, TimeUnit.MILLISECONDS), "frame 1 must wait for frame 0");
    first.complete(Map.of());
    runner.awaitCall(1).complete(Map.of());
    assertEquals(new Answer.Result(0, Map.of()), probes.second().expectNext());
    assertEquals(new Answer.Result(1, Map.of()), probes.second().expectNext());
  }

  @Test
  void aFailedRunIsAPipelineFailureThenCompletion() throws Exception {
    var probes = run(Duration.ofSeconds(5));
    probes.second().request(10);
    probes.first().sendNext(new LatestFrameWins.Run(0, 1, frame(1)));
    // How a SessionPipeline reports a tool's failure: the client's words, ready.
    runner.awaitCall(1).completeExceptionally(new StreamFailure(
        StreamError.pipelineFailure("node 'detector' failed: model not loaded"), new IllegalStateException("model not loaded")));
    assertEquals(new Answer.Dropped(0), probes.second().expectNext());
    StreamError error = assertInstanceOf(StreamError.class, probes.second().expectNext());
    assertEquals(StreamError.Code.PIPELINE_FAILURE, error.code());
    assertTrue(error.detail().contains("detector"), error.detail());
    probes.second().expectComplete();
    probes.first().expectCancellation();

    // The dropped frame is counted, and the error reported: no FramesDone for a failed run.
    assertEquals(new SessionActor.FramesDropped(1), session.expectMessageClass(SessionActor.FramesDropped.class));
    assertEquals(new SessionActor.ErrorSent(error), session.expectMessageClass(SessionActor.ErrorSent.class));
  }

  @Test
  void aFrameABusyModelRefusedIsDroppedCountedAndTheLoopGoesOn() throws Exception {
    var probes = run(Duration.ofSeconds(5));
    probes.second().request(10);
    probes.first().sendNext(new LatestFrameWins.Run(0, 1, frame(1)));
    // How the engine reports it: the node's failure, caused by the model's refusal, in a CompletionException.
    runner.awaitCall(1).completeExceptionally(new java.util.concurrent.CompletionException(new io.framewire.engine.PipelineFailure(
        "detector", new io.framewire.inference.ModelBusyException("model 'm.onnx' is busy: its queue is full"))));
    assertEquals(new Answer.Dropped(0), probes.second().expectNext());
    assertEquals(new Answer.Dropped(1), probes.second().expectNext());
    assertEquals(new SessionActor.FramesShed(2), session.expectMessageClass(SessionActor.FramesShed.class));

    probes.first().sendNext(new LatestFrameWins.Run(2, 0, frame(2)));
    runner.awaitCall(2).complete(Map.of("objects", 1));
    assertEquals(new Answer.Result(2, Map.of("objects", 1)), probes.second().expectNext());
    assertEquals(2, session.expectMessageClass(SessionActor.FramesDone.class).frameIndex());
  }

  @Test
  void aStreamFailureIsAnsweredWithItsErrorAsItIsEvenWhenWrapped() {
    StreamError error = StreamError.pipelineFailure("node 'n' failed: model not loaded");
    assertEquals(error, RunPipelineFlow.toStreamError(0, new StreamFailure(error), Duration.ofSeconds(1)));
    assertEquals(error, RunPipelineFlow.toStreamError(0,
        new java.util.concurrent.CompletionException(new StreamFailure(error, new IllegalStateException())),
        Duration.ofSeconds(1)));
  }

  @Test
  void timingsComeFromTheRunnerThatMadeTheResult() throws Exception {
    FrameRunner timed = new FrameRunner() {
      @Override
      public CompletableFuture<Map<String, Object>> run(long frameIndex, byte[] frameBytes) {
        return CompletableFuture.completedFuture(new LinkedHashMap<>(Map.of("ok", true, "_t", 3.0)));
      }

      @Override
      public Map<String, Double> takeTimings(Map<String, Object> result) {
        return Map.of("total", (Double) result.remove("_t"));
      }
    };
    var probes = probe(RunPipelineFlow.flow(timed, Duration.ofSeconds(5), session.ref()));
    probes.first().sendNext(new LatestFrameWins.Run(0, 0, frame(0)));
    assertEquals(new Answer.Result(0, Map.of("ok", true), Map.of("total", 3.0)), probes.second().requestNext());
  }

  @Test
  void anUnexpectedFailureIsAnInternalErrorWithoutDetailsOfIt() throws Exception {
    var probes = run(Duration.ofSeconds(5));
    probes.second().request(10);
    probes.first().sendNext(new LatestFrameWins.Run(0, 0, frame(0)));
    runner.awaitCall(0).completeExceptionally(new NullPointerException("oops"));
    assertEquals(StreamError.internalError(), probes.second().expectNext());
    probes.second().expectComplete();
    session.expectMessage(new SessionActor.ErrorSent(StreamError.internalError()));
  }

  @Test
  void aRunnerThatThrowsInsteadOfFailingItsFutureIsHandledToo() {
    var probes = probe(RunPipelineFlow.flow((index, bytes) -> {
      throw new IllegalStateException("boom");
    }, Duration.ofSeconds(5), session.ref()));
    probes.first().sendNext(new LatestFrameWins.Run(0, 0, frame(0)));
    assertEquals(StreamError.internalError(), probes.second().requestNext());
    probes.second().expectComplete();
  }

  @Test
  void aRunThatNeverEndsIsAPipelineFailureAfterTheTimeout() throws Exception {
    var probes = run(Duration.ofMillis(200));
    probes.second().request(10);
    probes.first().sendNext(new LatestFrameWins.Run(7, 0, frame(7)));
    runner.awaitCall(7); // and never completed
    StreamError error = assertInstanceOf(StreamError.class, probes.second().expectNext(Duration.ofSeconds(3)));
    assertEquals(StreamError.pipelineFailure(
        "frame 7 took longer than 200 ms (STREAM_FRAME_TIMEOUT_MS)"), error);
    probes.second().expectComplete();
    session.expectMessage(new SessionActor.ErrorSent(error));
  }

  @Test
  void aBatchEndingInAnErrorAnswersItsDroppedFramesThenTheErrorWithoutRunning() {
    var probes = run(Duration.ofSeconds(5));
    StreamError error = StreamError.invalidFrame(2, "empty message");
    probes.second().request(10);
    probes.first().sendNext(new LatestFrameWins.End(0, 2, error));
    assertEquals(new Answer.Dropped(0), probes.second().expectNext());
    assertEquals(new Answer.Dropped(1), probes.second().expectNext());
    assertEquals(error, probes.second().expectNext());
    probes.second().expectComplete();
    assertTrue(runner.calls.isEmpty(), "nothing runs for an error");
    session.expectMessage(new SessionActor.FramesDropped(2));
    session.expectMessage(new SessionActor.ErrorSent(error));
  }
}
