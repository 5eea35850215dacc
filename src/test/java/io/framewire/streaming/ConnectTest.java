package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connecting: pipeline selection, the session limit, and slots freed when sessions end. */
class ConnectTest {

  TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start(Map.of("framewire.stream.max-sessions", 2));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void missingPipelineIdIsAcceptedToldAndClosed() {
    try (WsTestClient client = WsTestClient.connect(server.port(), "/ws/video/stream")) {
      JsonNode error = client.next();
      assertEquals("invalid_pipeline", error.get("error").asText());
      assertTrue(error.get("detail").asText().contains("pipeline_id"), error.toString());
      assertEquals(1000, client.awaitClose().code());
    }
    assertEquals(0, server.activeSessions());
  }

  @Test
  void unknownPipelineIsAcceptedToldAndClosed() {
    try (WsTestClient client = server.stream("no_such_pipeline")) {
      JsonNode error = client.next();
      assertEquals("invalid_pipeline", error.get("error").asText());
      assertTrue(error.get("detail").asText().contains("no_such_pipeline"));
      client.awaitClose();
    }
    assertEquals(0, server.activeSessions());
  }

  @Test
  void knownPipelineOpensASession() {
    try (WsTestClient client = server.stream("echo")) {
      client.sendBinary(TestJpegs.solid(16, 16, Color.BLACK));
      assertEquals(0, client.next().get("frame_index").asInt());
      assertEquals(1, server.activeSessions());
      assertEquals(1.0, server.server.metrics().sessionsActive.get());
    }
  }

  @Test
  void sessionsOverTheLimitAreRefusedAndTheSlotFreesWhenOneEnds() {
    byte[] jpeg = TestJpegs.solid(16, 16, Color.BLACK);
    WsTestClient first = server.stream("echo");
    WsTestClient second = server.stream("echo");
    first.sendBinary(jpeg);
    second.sendBinary(jpeg);
    first.next();
    second.next();

    try (WsTestClient third = server.stream("echo")) {
      JsonNode error = third.next();
      assertEquals("too_many_sessions", error.get("error").asText());
      third.awaitClose();
    }

    first.closeNormally();
    first.awaitClose();
    TestServer.await("the slot is freed", () -> server.activeSessions() == 1);
    try (WsTestClient fourth = server.stream("echo")) {
      fourth.sendBinary(jpeg);
      assertEquals(0, fourth.next().get("frame_index").asInt());
    }
    second.close();
    first.close();
    TestServer.await("all sessions ended", () -> server.activeSessions() == 0);
    assertEquals(0.0, server.server.metrics().sessionsActive.get());
  }
}
