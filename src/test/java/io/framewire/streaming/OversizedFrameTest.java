package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 6 MB frame sent as one unfragmented WebSocket message against the default 5 MB limit (the
 * black-box suite's case): {@code frame_too_large} whose detail does not claim the frame was
 * fragmented, then the close, within a second of the error.
 */
class OversizedFrameTest {

  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("framewire.stream.max-frame-size-mb", 5));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void anOversizedUnfragmentedFrameIsRefusedInWordsThatFitAndClosedPromptly() throws Exception {
    byte[] big = new byte[6 * 1024 * 1024];
    new Random(1).nextBytes(big);
    try (WsTestClient client = server.stream("echo")) {
      // Sent from another thread: the answer may come before the last byte has left.
      CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
        try {
          client.sendBinary(big);
        } catch (RuntimeException e) {
          // the server may close before the whole message is written: that is fine here
        }
      });
      WsTestClient.Answer error = client.nextAnswer();
      long errorAt = System.nanoTime();
      assertEquals("frame_too_large", error.error());
      assertTrue(error.detail().contains("exceeds the limit of 5242880 bytes"), error.detail());
      assertFalse(error.detail().contains("fragmented"), "the frame was not fragmented: " + error.detail());
      assertEquals(1000, client.awaitClose().code());
      long closeMs = (System.nanoTime() - errorAt) / 1_000_000;
      assertTrue(closeMs < 1000, "the close follows the error within 1 s, took " + closeMs + " ms");
      send.join();
    }
    TestServer.await("the session ended", () -> server.activeSessions() == 0);
  }
}
