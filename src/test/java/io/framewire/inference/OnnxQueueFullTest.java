package io.framewire.inference;

import io.framewire.settings.FramewireSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.framewire.server.FramewireServer;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import io.framewire.pipeline.ToolRegistry;
import java.awt.Color;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Through the server: while a model run is held, sessions keep sending until the model's bounded
 * queue is full. A frame the full queue refuses is answered {@code dropped} at once, the session
 * stays open, its refused frames count in its drop rate until it is told {@code slow_down}, and once
 * the run goes on every queued frame gets its result and the refused session's next frame too.
 */
class OnnxQueueFullTest {

  @Test
  void a_full_model_queue_answers_the_frame_dropped_and_the_session_goes_on() throws Exception {
    ModelBatchingTest.GatedExecutor gate = new ModelBatchingTest.GatedExecutor();
    ModelRegistry models = ModelRegistry.create(
        TestModels.settings(TestModels.dir(), Map.of("max-batch", 1, "queue-size", 1)), gate);
    ToolRegistry tools = ToolRegistry.fromClasspath(List.of(new OnnxPlugin(models)));
    PipelineRegistry pipelines = PipelineRegistry.of(tools, List.of(PipelineJson.read("""
        {"id":"colour","name":"colour","nodes":[{"id":"objects","plugin_id":"onnx","tool_id":"classify",
          "params":{"model":"classify_means.onnx","top_k":1}}],"edges":[],"entry_nodes":["objects"],"output_nodes":["objects"]}""")));
    Config config = ConfigFactory.parseMap(Map.of("framewire.http.host", "127.0.0.1", "framewire.http.port", 0))
        .withFallback(ConfigFactory.load());
    FramewireServer server = FramewireServer.start(FramewireSettings.from(config), tools, pipelines);
    List<WsTestClient> accepted = new ArrayList<>();
    WsTestClient refused = null;
    try {
      LoadedModel model = models.load("classify_means.onnx");
      byte[] red = TestJpegs.solid(40, 40, Color.RED);
      WsTestClient first = WsTestClient.stream(server.port(), "colour");
      accepted.add(first);
      first.sendBinary(red);
      gate.awaitTaskWaiting(); // its run is held

      for (int i = 1; i <= 8 && refused == null; i++) {
        WsTestClient client = WsTestClient.stream(server.port(), "colour");
        int waitingBefore = model.waiting();
        client.sendBinary(red);
        int n = i;
        TestServer.await(() -> "frame " + n + " is queued or answered", Duration.ofSeconds(20),
            () -> model.waiting() != waitingBefore || !client.pending().isEmpty());
        if (model.waiting() > waitingBefore) {
          accepted.add(client); // queued: its answer comes after the held run
        } else {
          refused = client;
        }
      }
      assertNotNull(refused, "the model's queue never filled");
      assertTrue(accepted.size() >= 3 && accepted.size() <= 5, "accepted " + accepted.size());

      // While the run is held the queue stays full: every frame of the refused session is dropped,
      // and after enough of them (the policy's 10 samples, all drops) it is told to slow down.
      int slowDowns = 0;
      for (int frame = 0; frame < 12; frame++) {
        if (frame > 0) {
          refused.sendBinary(red);
        }
        WsTestClient.Answer answer = refused.nextAnswer();
        while (answer.isSlowDown()) {
          slowDowns++;
          answer = refused.nextAnswer();
        }
        assertTrue(answer.isDropped(), answer.toString());
        assertEquals(frame, answer.frameIndex(), answer.toString());
      }
      if (slowDowns == 0) {
        WsTestClient.Answer answer = refused.nextAnswer();
        assertTrue(answer.isSlowDown(), answer.toString());
      }
      assertEquals(false, refused.isClosed());

      gate.permits.release(1000);
      for (WsTestClient client : accepted) {
        JsonNode answer = client.next();
        assertEquals("red", answer.at("/result/classes/0/label").asText(), answer.toString());
      }
      refused.sendBinary(red);
      WsTestClient.Answer answer = refused.nextAnswer();
      while (answer.isSlowDown()) {
        answer = refused.nextAnswer();
      }
      assertEquals(12, answer.frameIndex(), answer.toString());
      assertEquals("red", answer.result().at("/classes/0/label").asText(), answer.toString());
    } finally {
      gate.permits.release(1000);
      accepted.forEach(WsTestClient::close);
      if (refused != null) {
        refused.close();
      }
      server.close();
      gate.threads.shutdownNow();
    }
  }
}
