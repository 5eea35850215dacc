package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Stage 4 alone: while downstream is busy, the newest frame wins and the others are counted dropped. */
class LatestFrameWinsTest extends StageTestSupport {


  @Test
  void whenDownstreamIsFreeAFramePassesAtOnceWithNothingDropped() {
    var probes = probe(LatestFrameWins.flow());
    probes.second().request(1);
    Frame f0 = frame(0);
    probes.first().sendNext(f0);
    assertEquals(new LatestFrameWins.Run(0, 0, f0), probes.second().expectNext());
  }

  @Test
  void whileDownstreamIsBusyTheNewestFrameWinsAndTheOthersAreCountedAsDropped() {
    var probes = probe(LatestFrameWins.flow());
    Frame last = null;
    for (int i = 0; i < 10; i++) {
      last = frame(i);
      probes.first().sendNext(last); // sendNext waits for demand: the stage keeps pulling while busy
    }
    // A Run (never an End): the variants say which, no field is null.
    LatestFrameWins.Run<Frame> batch = assertInstanceOf(LatestFrameWins.Run.class, probes.second().requestNext());
    assertSame(last, batch.latest());
    assertEquals(9, batch.latest().index());
    assertEquals(0, batch.firstDropped());
    assertEquals(9, batch.droppedCount());

    // The next burst starts a new batch: frames 10..12 → latest 12, dropped 10 and 11.
    for (int i = 10; i < 13; i++) {
      probes.first().sendNext(frame(i));
    }
    LatestFrameWins.Run<Frame> next = assertInstanceOf(LatestFrameWins.Run.class, probes.second().requestNext());
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
    assertEquals(new LatestFrameWins.End(0, 2, error), batch);
  }

  @Test
  void anErrorAloneIsABatchOfItsOwn() {
    var probes = probe(LatestFrameWins.flow());
    StreamError error = StreamError.invalidMessage("text");
    probes.second().request(1);
    probes.first().sendNext(error);
    assertEquals(new LatestFrameWins.End(0, 0, error), probes.second().expectNext());
  }
}
