package io.framewire.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.impl.engine.ws.FrameData;
import org.apache.pekko.http.impl.engine.ws.FrameError;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.FrameEventOrError;
import org.apache.pekko.http.impl.engine.ws.FrameEventParser$;
import org.apache.pekko.http.impl.engine.ws.FrameHeader;
import org.apache.pekko.http.impl.engine.ws.FrameStart;
import org.apache.pekko.http.impl.engine.ws.Protocol;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.Tuple2;

/** framewire's unmasking against pekko-http's own (the byte-at-a-time one it replaces). */
class UnmaskingTest {

  static ActorSystem system;

  @BeforeAll
  static void start() {
    system = ActorSystem.create("unmasking");
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void unmasksLikePekkoForEveryLengthAndSplit() {
    Random random = new Random(42);
    for (int length = 0; length <= 70; length++) {
      byte[] payload = new byte[length];
      random.nextBytes(payload);
      int mask = random.nextInt();
      ByteString expected = pekkoUnmask(ByteString.fromArray(payload), mask, List.of(length));
      for (int split = 0; split <= length; split++) {
        // The payload in two parts, the second continuing the mask where the first stopped; each part
        // a slice with an offset into a larger buffer, as the frame parser hands them over.
        ByteString whole = ByteString.fromArray(new byte[] {9, 9, 9}).concat(ByteString.fromArray(payload)).drop(3);
        ByteString first = Unmasking.unmask(whole.take(split), mask, 0);
        ByteString second = Unmasking.unmask(whole.drop(split), mask, split);
        assertEquals(expected, first.concat(second), "length " + length + ", split at " + split);
        assertEquals(ByteString.fromArray(payload), whole, "the input is left as it was");
      }
    }
  }

  /** pekko-http's FrameEventParser.mask over parts of the given sizes, carrying its rotated mask along. */
  private static ByteString pekkoUnmask(ByteString data, int mask, List<Integer> sizes) {
    ByteString out = ByteString.emptyByteString();
    int at = 0;
    int current = mask;
    for (int size : sizes) {
      Tuple2<ByteString, Object> part = FrameEventParser$.MODULE$.mask(data.slice(at, at + size), current);
      out = out.concat(part._1());
      current = (Integer) part._2();
      at += size;
    }
    return out;
  }

  @Test
  void aFrameInPartsIsUnmaskedAcrossThemAndLosesItsMask() throws Exception {
    byte[] payload = new byte[1000];
    new Random(1).nextBytes(payload);
    int mask = 0x12345678;
    ByteString masked = pekkoUnmask(ByteString.fromArray(payload), mask, List.of(1000)); // XOR is its own inverse
    FrameHeader header = FrameHeader.apply(Protocol.Opcode$.MODULE$.forCode((byte) 2), Option.apply(mask), 1000,
        true, false, false, false);
    List<FrameEvent> events = List.of(
        FrameStart.apply(header, masked.take(333)),
        FrameData.apply(masked.slice(333, 700), false),
        FrameData.apply(masked.drop(700), true));

    List<FrameEventOrError> out = run(events);

    FrameStart start = assertInstanceOf(FrameStart.class, out.get(0));
    assertTrue(start.header().mask().isEmpty(), "the frame handler gets unmasked frames");
    assertEquals(1000, start.header().length());
    ByteString all = start.data();
    for (FrameEventOrError event : out.subList(1, out.size())) {
      all = all.concat(((FrameData) event).data());
    }
    assertArrayEquals(payload, all.toArray());
  }

  @Test
  void anUnmaskedFrameIsAProtocolErrorAndTheRestIsDropped() throws Exception {
    FrameHeader header = FrameHeader.apply(Protocol.Opcode$.MODULE$.forCode((byte) 2), Option.empty(), 4,
        false, false, false, false);
    List<FrameEventOrError> out = run(List.of(
        FrameStart.apply(header, ByteString.fromArray(new byte[] {1, 2})),
        FrameData.apply(ByteString.fromArray(new byte[] {3, 4}), true)));
    assertEquals(1, out.size(), out.toString());
    FrameError error = assertInstanceOf(FrameError.class, out.get(0));
    assertEquals("Frame wasn't masked", error.p().getMessage());
  }

  private static List<FrameEventOrError> run(List<FrameEvent> events) throws Exception {
    return new ArrayList<>(Source.from(events).via(new Unmasking()).runWith(Sink.seq(), system)
        .toCompletableFuture().get(10, TimeUnit.SECONDS));
  }
}
