package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** Stage 1 alone: each WebSocket message becomes one frame of bytes, or an error. */
class AggregateFlowTest extends StageTestSupport {


  final FrameValidator validator = new FrameValidator(1000, 1_000_000);
  final Flow<Message, Inbound, ?> flow = AggregateFlow.flow(validator);

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
    assertEquals(StreamError.Code.FRAME_TOO_LARGE, error.code());
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
    assertEquals(StreamError.Code.FRAME_TOO_LARGE, error.code());
    assertEquals("frame exceeds the limit of 1000 bytes; it was not read past the limit", error.detail());
  }

  @Test
  void textMessageIsAnInvalidMessage() {
    var probes = probe(flow);
    probes.first().sendNext(TextMessage.create("{\"hello\":1}"));
    StreamError error = assertInstanceOf(StreamError.class, probes.second().requestNext());
    assertEquals(StreamError.Code.INVALID_MESSAGE, error.code());
    assertTrue(error.detail().contains("binary"), error.detail());
  }

  @Test
  void streamedTextMessageIsRefusedWithoutReadingIt() {
    var probes = probe(flow);
    Pair<TestPublisher.Probe<String>, Source<String, org.apache.pekko.NotUsed>> text =
        TestSource.<String>create(system).preMaterialize(system);
    probes.first().sendNext(TextMessage.create(text.second()));
    assertEquals(StreamError.Code.INVALID_MESSAGE,
        assertInstanceOf(StreamError.class, probes.second().requestNext()).code());
    text.first().expectCancellation();
  }

  @Test
  void streamedMessageThatFailsIsAnInvalidMessage() {
    var probes = probe(flow);
    probes.first().sendNext(BinaryMessage.create(Source.failed(new IllegalStateException("connection reset"))));
    StreamError error = assertInstanceOf(StreamError.class, probes.second().requestNext());
    assertEquals(StreamError.Code.INVALID_MESSAGE, error.code());
    assertEquals("the message could not be read completely", error.detail());
  }
}
