package io.framewire.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idle sessions end with {@code idle_timeout}; sessions that stream do not. The server's WebSocket
 * pings keep an idle connection open at the TCP level: here pekko-http drops connections silent for
 * 500 ms, yet an idle session lives to be told {@code idle_timeout} after 1.5 s.
 */
class IdleTimeoutTest {

  static final byte[] JPEG = TestJpegs.solid(32, 24, Color.GREEN);
  static final long IDLE_MS = 1500;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of(
        "framewire.stream.idle-timeout-ms", IDLE_MS,
        "pekko.http.server.idle-timeout", "500 ms",
        "pekko.http.server.websocket.periodic-keep-alive-max-idle", "100 ms"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anIdleSessionIsToldAndClosed() {
    double before = server.server.metrics().errors.labels("idle_timeout").get();
    LoggingTestKit.warn("session error idle_timeout")
        .withMdc(Map.of("event_type", "stream_error", "error", "idle_timeout", "pipeline_id", "echo"))
        .expect(server.server.system(), () -> {
          try (WsTestClient client = server.stream("echo")) {
            long start = System.nanoTime();
            JsonNode error = client.next();
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals("idle_timeout", error.get("error").asText(), error.toString());
            assertTrue(error.get("detail").asText().contains("1500 ms"), error.toString());
            assertTrue(elapsedMs >= IDLE_MS - 100, "not before the idle timeout: " + elapsedMs + " ms");
            assertEquals(1000, client.awaitClose().code());
          }
          return null;
        });
    TestServer.await("sessions return to zero", () -> server.activeSessions() == 0);
    TestServer.await("stateful tools closed", () -> server.server.dag().openStatefulTools() == 0);
    assertEquals(before + 1, server.server.metrics().errors.labels("idle_timeout").get());
  }

  @Test
  void anIdleSessionAnswersItsFramesFirst() {
    try (WsTestClient client = server.stream("echo")) {
      client.sendBinary(JPEG);
      assertEquals(0, client.next().get("frame_index").asInt());
      assertEquals("idle_timeout", client.next().get("error").asText());
      assertEquals(1000, client.awaitClose().code());
    }
    TestServer.await("sessions return to zero", () -> server.activeSessions() == 0);
  }

  @Test
  void aStreamingSessionIsNotIdle() {
    try (WsTestClient client = server.stream("echo")) {
      long until = System.nanoTime() + 2 * IDLE_MS * 1_000_000;
      int frames = 0;
      while (System.nanoTime() < until) {
        client.sendBinary(JPEG);
        JsonNode answer = client.next();
        assertFalse(answer.has("error"), answer.toString());
        assertEquals(frames++, answer.get("frame_index").asInt());
      }
      assertEquals(1, server.activeSessions());
      client.closeNormally();
    }
    TestServer.await("sessions return to zero", () -> server.activeSessions() == 0);
  }
}
