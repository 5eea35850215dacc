package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.pipeline.PipelineFailure;
import io.framewire.testing.TestJpegs;
import java.awt.Color;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Each stage of the session graph alone, between a {@link TestSource} (we push, and see what the
 * stage requests or cancels) and a {@link TestSink} (we pull, and see exactly what it emits, and when).
 */
class StreamStagesTest {

  static final ActorTestKit testKit = ActorTestKit.create();
  static final ActorSystem<Void> system = testKit.system();
  static final Materializer materializer = Materializer.matFromSystem(system);

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Runs {@code flow} between a test publisher and a test subscriber; both probes returned. */
  static <I, O> Pair<TestPublisher.Probe<I>, TestSubscriber.Probe<O>> probe(Flow<I, O, ?> flow) {
    return TestSource.<I>create(system).via(flow).toMat(TestSink.<O>create(system), Pair::create).run(system);
  }

  static Frame frame(long index) {
    return new Frame(index, TestJpegs.solid(8, 8, Color.GRAY));
  }

  @Nested
  class Aggregate {

    final FrameValidator validator = new FrameValidator(1000, 1_000_000);
    final Flow<Message, Inbound, ?> flow = AggregateStage.flow(validator, materializer);

    @Test
    void strictBinaryMessagePassesAsOneFrameOfBytes() {
      var probes = probe(flow);
      byte[] jpeg = {1, 2, 3, 4};
      probes.first().sendNext(BinaryMessage.create(ByteString.fromArray(jpeg)));
      Inbound.Bytes bytes = assertInstanceOf(Inbound.Bytes.class, probes.second().requestNext());
      assertArrayEquals(jpeg, bytes.bytes());
    }

    @Test
    void strictBinaryMessageOverTheLimitIsTooLarge() {
      var probes = probe(flow);
      probes.first().sendNext(BinaryMessage.create(ByteString.fromArray(new byte[1001])));
      StreamError error = assertInstanceOf(StreamError.class, probes.second().requestNext());
      assertEquals(StreamError.FRAME_TOO_LARGE, error.code());
      assertEquals("frame of 1001 bytes exceeds the limit of 1000 bytes", error.detail());
    }

    @Test
    void streamedBinaryMessageIsAssembledInOrder() {
      var probes = probe(flow);
      Source<ByteString, ?> parts = Source.from(List.of(
          ByteString.fromArray(new byte[] {1, 2}), ByteString.fromArray(new byte[] {3}),
          ByteString.fromArray(new byte[] {4, 5, 6})));
      probes.first().sendNext(BinaryMessage.create(parts));
      Inbound.Bytes bytes = assertInstanceOf(Inbound.Bytes.class, probes.second().requestNext());
      assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, bytes.bytes());
    }

    @Test
    void streamedBinaryMessageExactlyAtTheLimitIsAssembled() {
      var probes = probe(flow);
      probes.first().sendNext(BinaryMessage.create(Source.from(List.of(
          ByteString.fromArray(new byte[600]), ByteString.fromArray(new byte[400])))));
      assertEquals(1000, assertInstanceOf(Inbound.Bytes.class, probes.second().requestNext()).bytes().length);
    }

    @Test
    void streamedBinaryMessageOverTheLimitStopsReadingAtTheFirstByteOver() {
      var probes = probe(flow);
      // The message's own data is a test publisher: we see how much the stage reads, and that it stops.
      Pair<TestPublisher.Probe<ByteString>, Source<ByteString, org.apache.pekko.NotUsed>> parts =
          TestSource.<ByteString>create(system).preMaterialize(system);
      probes.first().sendNext(BinaryMessage.create(parts.second()));
      probes.second().request(1);
      TestPublisher.Probe<ByteString> data = parts.first();
      data.sendNext(ByteString.fromArray(new byte[400]));
      data.sendNext(ByteString.fromArray(new byte[400]));
      probes.second().expectNoMessage(Duration.ofMillis(50)); // 800 bytes: still assembling
      data.sendNext(ByteString.fromArray(new byte[400]));     // 1200 > 1000: give up
      data.expectCancellation(); // the rest of the message is never read or held
      StreamError error = assertInstanceOf(StreamError.class, probes.second().expectNext());
      assertEquals(StreamError.FRAME_TOO_LARGE, error.code());
      assertEquals("fragmented frame exceeds the limit of 1000 bytes", error.detail());
    }

    @Test
    void textMessageIsAnInvalidMessage() {
      var probes = probe(flow);
      probes.first().sendNext(TextMessage.create("{\"hello\":1}"));
      StreamError error = assertInstanceOf(StreamError.class, probes.second().requestNext());
      assertEquals(StreamError.INVALID_MESSAGE, error.code());
      assertTrue(error.detail().contains("binary"), error.detail());
    }

    @Test
    void streamedTextMessageIsRefusedWithoutReadingIt() {
      var probes = probe(flow);
      Pair<TestPublisher.Probe<String>, Source<String, org.apache.pekko.NotUsed>> text =
          TestSource.<String>create(system).preMaterialize(system);
      probes.first().sendNext(TextMessage.create(text.second()));
      assertEquals(StreamError.INVALID_MESSAGE,
          assertInstanceOf(StreamError.class, probes.second().requestNext()).code());
      text.first().expectCancellation();
    }

    @Test
    void streamedMessageThatFailsIsAnInvalidMessage() {
      var probes = probe(flow);
      probes.first().sendNext(BinaryMessage.create(Source.failed(new IllegalStateException("connection reset"))));
      StreamError error = assertInstanceOf(StreamError.class, probes.second().requestNext());
      assertEquals(StreamError.INVALID_MESSAGE, error.code());
      assertEquals("the message could not be read completely", error.detail());
    }
  }

  @Nested
  class Index {

    @Test
    void numbersFramesFromZeroAndPassesErrorsWithoutANumber() {
      var probes = probe(IndexStage.flow());
      StreamError error = StreamError.invalidMessage("text");
      byte[] a = {1};
      byte[] b = {2};
      byte[] c = {3};
      probes.second().request(4);
      probes.first().sendNext(new Inbound.Bytes(a)).sendNext(new Inbound.Bytes(b)).sendNext(error)
          .sendNext(new Inbound.Bytes(c)).sendComplete();
      Frame f0 = assertInstanceOf(Frame.class, probes.second().expectNext());
      Frame f1 = assertInstanceOf(Frame.class, probes.second().expectNext());
      assertSame(error, probes.second().expectNext());
      Frame f2 = assertInstanceOf(Frame.class, probes.second().expectNext());
      probes.second().expectComplete();
      assertEquals(List.of(0L, 1L, 2L), List.of(f0.index(), f1.index(), f2.index()));
      assertSame(a, f0.bytes()); // never copied
      assertSame(c, f2.bytes());
    }

    @Test
    void eachMaterializationCountsFromZero() {
      for (int run = 0; run < 2; run++) {
        var probes = probe(IndexStage.flow());
        probes.first().sendNext(new Inbound.Bytes(new byte[] {1}));
        assertEquals(0L, assertInstanceOf(Frame.class, probes.second().requestNext()).index());
      }
    }
  }

  @Nested
  class Validate {

    final FrameValidator validator = new FrameValidator(100_000, 1_000_000);

    @Test
    void validFramesPassUnchanged() {
      var probes = probe(ValidateStage.flow(validator));
      Frame f0 = frame(0);
      Frame f1 = frame(1);
      probes.first().sendNext(f0).sendNext(f1);
      assertSame(f0, probes.second().requestNext());
      assertSame(f1, probes.second().requestNext());
    }

    @Test
    void stopsAfterTheFirstErrorEmittingItThenCompleting() {
      var probes = probe(ValidateStage.flow(validator));
      probes.second().request(10);
      probes.first().sendNext(frame(0)).sendNext(new Frame(1, new byte[0]));
      assertEquals(0L, assertInstanceOf(Frame.class, probes.second().expectNext()).index());
      StreamError error = assertInstanceOf(StreamError.class, probes.second().expectNext());
      assertEquals(new StreamError(StreamError.INVALID_FRAME, "frame 1: empty message"), error);
      probes.second().expectComplete();
      probes.first().expectCancellation(); // nothing after the error is read
    }

    @Test
    void anErrorFromUpstreamAlsoEndsTheStage() {
      var probes = probe(ValidateStage.flow(validator));
      StreamError text = StreamError.invalidMessage("text");
      probes.first().sendNext(text);
      assertSame(text, probes.second().requestNext());
      probes.second().expectComplete();
      probes.first().expectCancellation();
    }
  }

  @Nested
  class Latest {

    @Test
    void whenDownstreamIsFreeAFramePassesAtOnceWithNothingDropped() {
      var probes = probe(LatestFrameWins.flow());
      probes.second().request(1);
      Frame f0 = frame(0);
      probes.first().sendNext(f0);
      assertEquals(new LatestFrameWins.Batch(0, 0, f0, null), probes.second().expectNext());
    }

    @Test
    void whileDownstreamIsBusyTheNewestFrameWinsAndTheOthersAreCountedAsDropped() {
      var probes = probe(LatestFrameWins.flow());
      Frame last = null;
      for (int i = 0; i < 10; i++) {
        last = frame(i);
        probes.first().sendNext(last); // sendNext waits for demand: the stage keeps pulling while busy
      }
      LatestFrameWins.Batch batch = probes.second().requestNext();
      assertSame(last, batch.latest());
      assertEquals(9, batch.latest().index());
      assertEquals(0, batch.firstDropped());
      assertEquals(9, batch.droppedCount());
      assertNull(batch.error());

      // The next burst starts a new batch: frames 10..12 → latest 12, dropped 10 and 11.
      for (int i = 10; i < 13; i++) {
        probes.first().sendNext(frame(i));
      }
      LatestFrameWins.Batch next = probes.second().requestNext();
      assertEquals(12, next.latest().index());
      assertEquals(10, next.firstDropped());
      assertEquals(2, next.droppedCount());
    }

    @Test
    void anErrorSupersedesTheWaitingFramesAndNothingAfterItCounts() {
      var probes = probe(LatestFrameWins.flow());
      StreamError error = StreamError.invalidFrame(2, "empty message");
      probes.first().sendNext(frame(0)).sendNext(frame(1)).sendNext(error).sendNext(frame(3));
      LatestFrameWins.Batch batch = probes.second().requestNext();
      assertEquals(new LatestFrameWins.Batch(0, 2, null, error), batch);
    }

    @Test
    void anErrorAloneIsABatchOfItsOwn() {
      var probes = probe(LatestFrameWins.flow());
      StreamError error = StreamError.invalidMessage("text");
      probes.second().request(1);
      probes.first().sendNext(error);
      assertEquals(new LatestFrameWins.Batch(0, 0, null, error), probes.second().expectNext());
    }
  }

  /** A pipeline the test drives: each run's future is created on call and completed by the test. */
  static final class ControlledRunner implements FrameRunner {
    final BlockingQueue<Long> calls = new LinkedBlockingQueue<>();
    final Map<Long, CompletableFuture<Map<String, Object>>> runs = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Map<String, Object>> run(long frameIndex, byte[] frameBytes) {
      calls.add(frameIndex);
      return runs.computeIfAbsent(frameIndex, i -> new CompletableFuture<>());
    }

    /** Waits until the stage has called the pipeline for {@code frameIndex}, then returns its run. */
    CompletableFuture<Map<String, Object>> awaitCall(long frameIndex) throws InterruptedException {
      Long called = calls.poll(5, TimeUnit.SECONDS);
      assertEquals(frameIndex, called, "pipeline call");
      return runs.get(frameIndex);
    }
  }

  @Nested
  class RunPipeline {

    final ControlledRunner runner = new ControlledRunner();
    final TestProbe<SessionActor.Command> session = testKit.createTestProbe(SessionActor.Command.class);

    Pair<TestPublisher.Probe<LatestFrameWins.Batch>, TestSubscriber.Probe<Answer>> run(Duration timeout) {
      return probe(RunPipelineStage.flow(runner, timeout, session.ref()));
    }

    @Test
    void droppedAnswersComeBeforeTheResultAndTheSessionHearsOnce() throws Exception {
      var probes = run(Duration.ofSeconds(5));
      probes.second().request(10);
      probes.first().sendNext(new LatestFrameWins.Batch(3, 2, frame(5), null));
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
      probes.first().sendNext(new LatestFrameWins.Batch(0, 0, frame(0), null));
      probes.first().sendNext(new LatestFrameWins.Batch(1, 0, frame(1), null));
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
      probes.first().sendNext(new LatestFrameWins.Batch(0, 1, frame(1), null));
      runner.awaitCall(1).completeExceptionally(
          new PipelineFailure("detector", new IllegalStateException("model not loaded")));
      assertEquals(new Answer.Dropped(0), probes.second().expectNext());
      StreamError error = assertInstanceOf(StreamError.class, probes.second().expectNext());
      assertEquals(StreamError.PIPELINE_FAILURE, error.code());
      assertTrue(error.detail().contains("detector"), error.detail());
      probes.second().expectComplete();
      probes.first().expectCancellation();

      // The dropped frame is counted, and the error reported: no FramesDone for a failed run.
      assertEquals(new SessionActor.FramesDropped(1), session.expectMessageClass(SessionActor.FramesDropped.class));
      assertEquals(new SessionActor.ErrorSent(error), session.expectMessageClass(SessionActor.ErrorSent.class));
    }

    @Test
    void anUnexpectedFailureIsAnInternalErrorWithoutDetailsOfIt() throws Exception {
      var probes = run(Duration.ofSeconds(5));
      probes.second().request(10);
      probes.first().sendNext(new LatestFrameWins.Batch(0, 0, frame(0), null));
      runner.awaitCall(0).completeExceptionally(new NullPointerException("oops"));
      assertEquals(StreamError.internalError(), probes.second().expectNext());
      probes.second().expectComplete();
      session.expectMessage(new SessionActor.ErrorSent(StreamError.internalError()));
    }

    @Test
    void aRunnerThatThrowsInsteadOfFailingItsFutureIsHandledToo() {
      var probes = probe(RunPipelineStage.flow((index, bytes) -> {
        throw new IllegalStateException("boom");
      }, Duration.ofSeconds(5), session.ref()));
      probes.first().sendNext(new LatestFrameWins.Batch(0, 0, frame(0), null));
      assertEquals(StreamError.internalError(), probes.second().requestNext());
      probes.second().expectComplete();
    }

    @Test
    void aRunThatNeverEndsIsAPipelineFailureAfterTheTimeout() throws Exception {
      var probes = run(Duration.ofMillis(200));
      probes.second().request(10);
      probes.first().sendNext(new LatestFrameWins.Batch(7, 0, frame(7), null));
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
      probes.first().sendNext(new LatestFrameWins.Batch(0, 2, null, error));
      assertEquals(new Answer.Dropped(0), probes.second().expectNext());
      assertEquals(new Answer.Dropped(1), probes.second().expectNext());
      assertEquals(error, probes.second().expectNext());
      probes.second().expectComplete();
      assertTrue(runner.calls.isEmpty(), "nothing runs for an error");
      session.expectMessage(new SessionActor.FramesDropped(2));
      session.expectMessage(new SessionActor.ErrorSent(error));
    }
  }

  @Nested
  class Encode {

    String encoded(Answer answer) {
      TextMessage text = Source.single(answer).via(EncodeStage.flow())
          .runWith(TestSink.<Message>create(system), system)
          .requestNext().asTextMessage();
      assertTrue(text.isStrict());
      assertEquals(AnswerEncoder.encode(answer), text.getStrictText());
      return text.getStrictText();
    }

    @Test
    void resultHasTheFrameIndexFirstThenTheResult() {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("label", "cat");
      result.put("score", 0.5);
      result.put("boxes", List.of(List.of(1, 2, 3, 4)));
      result.put("none", null);
      assertEquals("{\"frame_index\":3,\"result\":{\"label\":\"cat\",\"score\":0.5,\"boxes\":[[1,2,3,4]],\"none\":null}}",
          encoded(new Answer.Result(3, result)));
    }

    @Test
    void dropped() {
      assertEquals("{\"frame_index\":4,\"dropped\":true}", encoded(new Answer.Dropped(4)));
    }

    @Test
    void slowDown() {
      assertEquals("{\"warning\":\"slow_down\",\"max_fps\":20.0,\"drop_rate\":0.8}",
          encoded(new Answer.SlowDown(20, 0.8)));
    }

    @Test
    void errorWithItsDetailEscaped() {
      assertEquals("{\"error\":\"invalid_frame\",\"detail\":\"frame 0: say \\\"hi\\\"\"}",
          encoded(StreamError.invalidFrame(0, "say \"hi\"")));
    }

    @Test
    void everyAnswerIsOneTextMessageInOrder() {
      var sink = Source.from(List.<Answer>of(new Answer.Dropped(0), new Answer.Result(1, Map.of()),
              StreamError.internalError()))
          .via(EncodeStage.flow())
          .map(message -> message.asTextMessage().getStrictText())
          .runWith(TestSink.<String>create(system), system);
      sink.request(3);
      sink.expectNext("{\"frame_index\":0,\"dropped\":true}", "{\"frame_index\":1,\"result\":{}}",
          "{\"error\":\"internal_error\",\"detail\":\"the server hit an unexpected error and closed the session\"}");
      sink.expectComplete();
    }
  }
}
