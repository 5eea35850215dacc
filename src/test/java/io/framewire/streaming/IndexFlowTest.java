package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Stage 2 alone: frames are numbered from 0 in arrival order. */
class IndexFlowTest extends StageTestSupport {


  @Test
  void numbersFramesFromZeroAndPassesErrorsWithoutANumber() {
    var probes = probe(IndexFlow.flow());
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
      var probes = probe(IndexFlow.flow());
      probes.first().sendNext(new Inbound.Bytes(new byte[] {1}));
      assertEquals(0L, assertInstanceOf(Frame.class, probes.second().requestNext()).index());
    }
  }
}
