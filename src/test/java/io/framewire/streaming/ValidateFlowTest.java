package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.engine.PipelineFailure;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stage 3 alone: bad frames are refused and end the inbound side. */
class ValidateFlowTest extends StageTestSupport {


  final FrameValidator validator = new FrameValidator(100_000, 1_000_000);

  @Test
  void validFramesPassUnchanged() {
    var probes = probe(ValidateFlow.flow(validator));
    Frame f0 = frame(0);
    Frame f1 = frame(1);
    probes.first().sendNext(f0).sendNext(f1);
    assertSame(f0, probes.second().requestNext());
    assertSame(f1, probes.second().requestNext());
  }

  @Test
  void stopsAfterTheFirstErrorEmittingItThenCompleting() {
    var probes = probe(ValidateFlow.flow(validator));
    probes.second().request(10);
    probes.first().sendNext(frame(0)).sendNext(new Frame(1, new byte[0]));
    assertEquals(0L, assertInstanceOf(Frame.class, probes.second().expectNext()).index());
    StreamError error = assertInstanceOf(StreamError.class, probes.second().expectNext());
    assertEquals(new StreamError(StreamError.Code.INVALID_FRAME, "frame 1: empty message"), error);
    probes.second().expectComplete();
    probes.first().expectCancellation(); // nothing after the error is read
  }

  @Test
  void anErrorFromUpstreamAlsoEndsTheStage() {
    var probes = probe(ValidateFlow.flow(validator));
    StreamError text = StreamError.invalidMessage("text");
    probes.first().sendNext(text);
    assertSame(text, probes.second().requestNext());
    probes.second().expectComplete();
    probes.first().expectCancellation();
  }
}
