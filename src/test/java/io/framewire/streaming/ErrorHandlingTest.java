package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every bad input gets a clear error and a close, and nothing else is disturbed: a bystander session
 * keeps being answered and the session count returns to what it was.
 */
class ErrorHandlingTest {

  static TestServer server;
  static final byte[] JPEG = TestJpegs.solid(32, 24, Color.GREEN);

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of(
        "framewire.stream.max-frame-size-mb", 0.05, // 52 428 bytes
        "framewire.stream.max-frame-pixels", 1_000_000,
        "framewire.stream.frame-timeout-ms", 300));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Runs {@code attack} on a fresh session while a bystander streams; returns the error the attacker got. */
  private static JsonNode attack(String pipelineId, Consumer<WsTestClient> attack) {
    // The bystander decodes (inspect): its frames need the same tool thread pool a hung tool sits in.
    try (WsTestClient bystander = server.stream("inspect"); WsTestClient attacker = server.stream(pipelineId)) {
      bystander.sendBinary(JPEG);
      assertEquals(0, bystander.next().get("frame_index").asInt());
      attack.accept(attacker);
      JsonNode error = attacker.next();
      while (!error.has("error")) {
        error = attacker.next(); // answers to earlier valid frames come first
      }
      assertEquals(1000, attacker.awaitClose().code(), "a clean close after the error message");
      bystander.sendBinary(JPEG);
      assertEquals(1, bystander.next().get("frame_index").asInt(), "the bystander is still served");
      assertDetailIsForPeople(error);
      return error;
    } finally {
      TestServer.await("sessions return to zero", () -> server.activeSessions() == 0);
    }
  }

  private static void assertDetailIsForPeople(JsonNode error) {
    String detail = error.get("detail").asText();
    assertFalse(detail.isBlank());
    assertFalse(detail.matches("(?s).*(Exception|\\bat [a-z]+\\.|\\.java:).*"), "no stack trace or class name: " + detail);
  }

  @Test
  void textMessageIsInvalidMessage() {
    assertEquals("invalid_message", attack("echo", c -> c.sendText("{\"hello\":1}")).get("error").asText());
  }

  @Test
  void emptyMessageIsInvalidFrame() {
    assertEquals("invalid_frame", attack("echo", c -> c.sendBinary(new byte[0])).get("error").asText());
  }

  @Test
  void randomBytesAreInvalidFrame() {
    byte[] noise = new byte[4096];
    new Random(1).nextBytes(noise);
    assertEquals("invalid_frame", attack("echo", c -> c.sendBinary(noise)).get("error").asText());
  }

  @Test
  void truncatedJpegIsInvalidFrameAfterEarlierFramesAreAnswered() {
    JsonNode error = attack("echo", c -> {
      c.sendBinary(JPEG);
      c.sendBinary(Arrays.copyOf(JPEG, JPEG.length / 2));
    });
    assertEquals("invalid_frame", error.get("error").asText());
    assertTrue(error.get("detail").asText().contains("frame 1"), error.toString());
  }

  @Test
  void oversizedFrameIsFrameTooLarge() {
    byte[] big = TestJpegs.noise(400, 400, 3);
    assertTrue(big.length > 52_428, "test frame must exceed the limit");
    assertEquals("frame_too_large", attack("echo", c -> c.sendBinary(big)).get("error").asText());
  }

  @Test
  void fragmentedOversizedFrameIsFrameTooLarge() {
    byte[] big = TestJpegs.noise(400, 400, 4);
    assertEquals("frame_too_large", attack("echo", c -> c.sendFragmented(big, 8192)).get("error").asText());
  }

  @Test
  void hugeDeclaredDimensionsAreRefusedBeforeDecoding() {
    byte[] bomb = TestJpegs.withDeclaredSize(JPEG, 60000, 60000);
    JsonNode error = attack("echo", c -> c.sendBinary(bomb));
    assertEquals("frame_too_large", error.get("error").asText());
    assertTrue(error.get("detail").asText().contains("60000x60000"));
  }

  @Test
  void toolFailureIsPipelineFailureNamingTheNode() {
    JsonNode error = attack("failing", c -> c.sendBinary(JPEG));
    assertEquals("pipeline_failure", error.get("error").asText());
    assertTrue(error.get("detail").asText().contains("'n'"), error.toString());
    assertTrue(error.get("detail").asText().contains("camera lens cap is on"), error.toString());
  }

  @Test
  void frameOverTheTimeoutIsPipelineFailure() {
    JsonNode error = attack("hanging", c -> c.sendBinary(JPEG));
    assertEquals("pipeline_failure", error.get("error").asText());
    assertTrue(error.get("detail").asText().contains("300 ms"), error.toString());
  }

  @Test
  void abruptDisconnectWhilePipelineRunsEndsTheSession() throws Exception {
    WsTestClient client = server.stream("gated");
    client.sendBinary(JPEG);
    server.gate.awaitEntered();
    client.abort(); // TCP gone, no close handshake
    server.gate.release(1);
    TestServer.await("the session ends", () -> server.activeSessions() == 0);
    TestServer.await("the gauge returns to zero", () -> server.server.metrics().sessionsActive.get() == 0);
    TestServer.await("stateful tools closed", () -> server.server.dag().openStatefulTools() == 0);
  }
}
