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
