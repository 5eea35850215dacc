package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Frames sent over a real WebSocket run through real pipelines and come back as results, in order. */
class PipelineIntegrationTest {

  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyFrameGetsItsResultInOrderWithFrameIndicesFromZero() {
    byte[] jpeg = TestJpegs.solid(64, 48, Color.GRAY);
    try (WsTestClient client = server.stream("echo")) {
      for (int i = 0; i < 5; i++) {
        client.sendBinary(jpeg);
        JsonNode answer = client.next(); // closed loop: no frame is superseded
        assertEquals(i, answer.get("frame_index").asLong());
        assertEquals(jpeg.length, answer.at("/result/bytes").asInt());
        assertFalse(answer.has("dropped"));
        assertFalse(answer.get("result").has("image_bytes"), "raw bytes never go back to the client");
      }
      client.closeNormally();
      assertEquals(1000, client.awaitClose().code());
    }
  }

  @Test
  void fragmentedFramesAreAssembled() {
    byte[] jpeg = TestJpegs.noise(320, 240, 7);
    try (WsTestClient client = server.stream("echo")) {
      client.sendFragmented(jpeg, 1000);
      JsonNode answer = client.next();
      assertEquals(0, answer.get("frame_index").asLong());
      assertEquals(jpeg.length, answer.at("/result/bytes").asInt());
    }
  }

  @Test
  void builtInImagePipelineReportsTheFrame() {
    try (WsTestClient client = server.stream("inspect")) {
      client.sendBinary(TestJpegs.solid(80, 60, Color.WHITE));
      JsonNode result = client.next().get("result");
      assertEquals(80, result.get("width").asInt());
      assertEquals(60, result.get("height").asInt());
      assertTrue(result.get("mean_luminance").asDouble() > 240);
      assertFalse(result.has("_gray"));
    }
  }
}
