package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Latest frame wins, deterministically: the pipeline is held on a gate (no timing involved) while
 * frames arrive; the superseded ones are answered dropped, the newest one runs.
 */
class BackpressureDropTest {

  TestServer server;

  @BeforeEach
  void start() {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void tenFramesWhileThePipelineIsHeldGiveFirstAndLastAsResultsAndEightDropped() throws Exception {
    byte[] jpeg = TestJpegs.solid(32, 32, Color.BLUE);
    try (WsTestClient client = server.stream("gated")) {
      // Frame 0 is held inside the pipeline while frames 1..9 arrive; then the gate lets two through.
      server.sendWhilePipelineHeld(client, jpeg, 10);

      List<JsonNode> frames = new ArrayList<>();
      List<JsonNode> warnings = new ArrayList<>();
      while (frames.size() < 10) {
        JsonNode answer = client.next();
        (answer.has("warning") ? warnings : frames).add(answer);
      }
      assertEquals(0, frames.get(0).get("frame_index").asLong());
      assertEquals(0, frames.get(0).at("/result/gated_frame").asLong());
      for (int i = 1; i <= 8; i++) {
        assertEquals(i, frames.get(i).get("frame_index").asLong(), "answers come in frame order");
        assertTrue(frames.get(i).get("dropped").asBoolean());
        assertTrue(!frames.get(i).has("result"));
      }
      assertEquals(9, frames.get(9).get("frame_index").asLong());
      assertEquals(9, frames.get(9).at("/result/gated_frame").asLong(), "the newest frame is the one that ran");
      // The session actor counts a frame after its answer is on the way: wait for the counts, then check them.
      TestServer.await("two frames counted processed",
          () -> server.server.metrics().framesProcessed.get() >= 2 && server.server.metrics().framesDropped.get() >= 8);
      assertEquals(2, server.server.metrics().framesProcessed.get());
      assertEquals(8, server.server.metrics().framesDropped.get());
      // Exactly the two frames that ran went through the tool: nothing ran just to be thrown away.
      assertEquals(9, server.gate.awaitEntered());
      assertTrue(server.gate.entered.isEmpty());

      if (warnings.isEmpty()) {
        warnings.add(client.next()); // the slow_down travels on its own channel and may come last
      }
      JsonNode warning = warnings.get(0);
      assertEquals("slow_down", warning.get("warning").asText());
      assertEquals(0.8, warning.get("drop_rate").asDouble(), 1e-9);
      assertTrue(warning.get("max_fps").asDouble() >= 1);
    }
  }

  @Test
  void aClosedLoopClientIsNeverDropped() {
    byte[] jpeg = TestJpegs.solid(32, 32, Color.RED);
    try (WsTestClient client = server.stream("gated")) {
      for (int i = 0; i < 20; i++) {
        client.sendBinary(jpeg);
        server.gate.release(1);
        JsonNode answer = client.next();
        assertEquals(i, answer.get("frame_index").asLong());
        assertTrue(answer.has("result"));
      }
      assertEquals(0, server.server.metrics().framesDropped.get());
      assertEquals(0, server.server.metrics().slowdownSignals.get());
    }
  }
}
