package io.framewire.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.RawWsClient;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import java.io.IOException;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that sends frames and never reads the answers: the server's output for it stays bounded
 * (TCP backpressure, latest-frame-wins on the input) and after the stall timeout the session is
 * ended, its slot and tools freed, while another session keeps being served.
 */
class StalledReaderTest {

  static final byte[] JPEG = TestJpegs.solid(32, 24, Color.GREEN);
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of(
        "framewire.stream.stall-timeout-ms", 500,
        // small kernel buffers so that a client that does not read backpressures the server quickly
        "pekko.http.server.socket-options.so-send-buffer-size", 4096,
        // pekko-http drops a connection that moves no bytes for this long (default 60 s)
        "pekko.http.server.idle-timeout", "2 s",
        // ...which the server's pings prevent for healthy idle clients (the bystander)
        "pekko.http.server.websocket.periodic-keep-alive-max-idle", "300 ms"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aClientThatNeverReadsIsDisconnectedAfterTheStallTimeout() throws Exception {
    double stalledBefore = server.server.metrics().errors.labels("client_stalled").get();
    try (WsTestClient bystander = server.stream("echo")) {
      LoggingTestKit.warn("session error client_stalled")
          .withMdc(Map.of("event_type", "stream_error", "error", "client_stalled", "pipeline_id", "echo"))
          .expect(server.server.system(), () -> {
            try (RawWsClient hog = RawWsClient.connect(server.port(), "/ws/video/stream?pipeline_id=echo", Map.of(), 2048)) {
              assertEquals(101, hog.handshake.status());
              TestServer.await("the session is open", () -> server.activeSessions() == 2);
              long sent = 0;
              long deadline = System.nanoTime() + 20_000_000_000L;
              try {
                // keep sending, never read: answers fill the buffers, the server stalls, ends the
                // session, and (after linger-timeout) drops the connection: our write then fails
                while (true) {
                  hog.sendBinary(JPEG);
                  sent++;
                  assertTrue(System.nanoTime() < deadline, "the stalled connection was never dropped (" + sent + " frames)");
                }
              } catch (IOException dropped) {
                // expected: the server dropped the connection
              }
              assertTrue(sent > 0);
            }
            return null;
          });
      TestServer.await("only the bystander is left", () -> server.activeSessions() == 1);
      bystander.sendBinary(JPEG);
      assertEquals(0, bystander.next().get("frame_index").asInt(), "the bystander is still served");
    }
    TestServer.await("sessions return to zero", () -> server.activeSessions() == 0);
    TestServer.await("the gauge returns to zero", () -> server.server.metrics().sessionsActive.get() == 0);
    TestServer.await("stateful tools closed", () -> server.server.dag().openStatefulTools() == 0);
    assertEquals(stalledBefore + 1, server.server.metrics().errors.labels("client_stalled").get());
  }

  @Test
  void aClientThatReadsKeepsItsSessionUnderLoad() {
    double stalledBefore = server.server.metrics().errors.labels("client_stalled").get();
    try (WsTestClient client = server.stream("echo")) {
      for (int i = 0; i < 300; i++) {
        client.sendBinary(JPEG);
      }
      for (int i = 0; i < 300; i++) {
        JsonNode answer = client.next();
        while (answer.has("warning")) {
          answer = client.next(); // slow_down under this load is fine
        }
        assertEquals(i, answer.get("frame_index").asInt(), "every frame answered, in order: " + answer);
      }
      assertEquals(1, server.activeSessions());
    }
    TestServer.await("sessions return to zero", () -> server.activeSessions() == 0);
    assertEquals(stalledBefore, server.server.metrics().errors.labels("client_stalled").get());
  }
}
