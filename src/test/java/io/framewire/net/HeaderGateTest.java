package io.framewire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.TLSProtocol.SessionBytes;
import org.apache.pekko.stream.TLSProtocol.SslTlsInbound;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The header gate alone, between a test source and sink. */
class HeaderGateTest {

  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static SslTlsInbound bytes(String s) {
    return new SessionBytes(null, ByteString.fromString(s, StandardCharsets.US_ASCII));
  }

  private static Pair<TestPublisher.Probe<SslTlsInbound>, TestSubscriber.Probe<SslTlsInbound>> run(HeaderGate gate) {
    return TestSource.<SslTlsInbound>create(testKit.system())
        .via(Flow.fromGraph(gate))
        .toMat(TestSink.create(testKit.system()), Pair::create)
        .run(testKit.system());
  }

  @Test
  void holdsBytesUntilTheHeaderBlockEndsEvenAcrossChunksThenPassesEverything() {
    CountDownLatch timedOut = new CountDownLatch(1);
    var probes = run(new HeaderGate(Duration.ofSeconds(30), 16 * 1024, timedOut::countDown));
    TestPublisher.Probe<SslTlsInbound> in = probes.first();
    TestSubscriber.Probe<SslTlsInbound> out = probes.second();
    out.request(10);
    in.sendNext(bytes("GET / HTTP/1.1\r\nHost: x\r"));
    in.sendNext(bytes("\n\r"));
    out.expectNoMessage(Duration.ofMillis(100));
    in.sendNext(bytes("\nbody"));
    out.expectNext(bytes("GET / HTTP/1.1\r\nHost: x\r"), bytes("\n\r"), bytes("\nbody"));
    in.sendNext(bytes("later bytes"));
    out.expectNext(bytes("later bytes"));
    assertEquals(1, timedOut.getCount(), "no timeout once the headers are complete");
  }

  @Test
  void closesTheConnectionWhenTheHeadersAreLate() throws Exception {
    CountDownLatch timedOut = new CountDownLatch(1);
    var probes = run(new HeaderGate(Duration.ofMillis(200), 16 * 1024, timedOut::countDown));
    probes.second().request(10);
    probes.first().sendNext(bytes("GET / HTTP/1.1\r\nHost: x\r\n"));
    probes.second().expectComplete();
    probes.first().expectCancellation();
    assertTrue(timedOut.await(5, TimeUnit.SECONDS));
  }

  @Test
  void letsAnOversizedHeaderBlockThroughSoThatTheParserAnswers431() {
    var probes = run(new HeaderGate(Duration.ofSeconds(30), 64, () -> {}));
    probes.second().request(10);
    String big = "X-Big: " + "a".repeat(100);
    probes.first().sendNext(bytes(big));
    probes.second().expectNext(bytes(big));
  }

  @Test
  void findsTheHeaderEnd() {
    assertTrue(HeaderGate.headerEnd(0, ByteString.fromString("a\r\n\r\n")));
    assertTrue(HeaderGate.headerEnd(0x0d0a0d, ByteString.fromString("\n")));
    assertFalse(HeaderGate.headerEnd(0, ByteString.fromString("a\r\n\r")));
    assertTrue(HeaderGate.headerEnd(0, ByteString.fromString("GET / HTTP/1.1\nHost: x\n\n")), "bare LF");
    assertFalse(HeaderGate.headerEnd(0, ByteString.fromString("GET / HTTP/1.1\r\nHost: x\r\n")));
  }
}
