package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

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
