package io.framewire.inference;

import io.framewire.settings.FramewireSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.framewire.server.FramewireServer;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.WsTestClient;
import io.framewire.pipeline.ToolRegistry;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Through the server: while a model run is held, sessions keep sending until the model's bounded
 * queue is full; the next frame is answered at once with a pipeline_failure naming the model and
 * the setting, the frames already queued are answered with results once the run goes on.
 */
class OnnxQueueFullTest {

  @Test
  void a_full_model_queue_fails_the_frame_with_a_clear_pipeline_failure() throws Exception {
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
    try {
      LoadedModel model = models.load("classify_means.onnx");
      byte[] red = TestJpegs.solid(40, 40, Color.RED);
      WsTestClient first = WsTestClient.stream(server.port(), "colour");
      accepted.add(first);
      first.sendBinary(red);
      gate.awaitTaskWaiting(); // its run is held

      JsonNode refusal = null;
      for (int i = 1; i <= 8 && refusal == null; i++) {
        WsTestClient client = WsTestClient.stream(server.port(), "colour");
        int waitingBefore = model.waiting();
        client.sendBinary(red);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (model.waiting() == waitingBefore && client.pending().isEmpty()) {
          if (System.nanoTime() > deadline) {
            fail("frame " + i + " was neither queued nor answered");
          }
          Thread.sleep(2);
        }
        if (model.waiting() > waitingBefore) {
          accepted.add(client); // queued: its answer comes after the held run
        } else {
          refusal = client.next();
          client.awaitClose();
          client.close();
        }
      }
      assertNotNull(refusal, "the model's queue never filled");
      assertEquals("pipeline_failure", refusal.path("error").asText(), refusal.toString());
      assertEquals("node 'objects' failed: model 'classify_means.onnx' is busy: its queue is full "
          + "(INFERENCE_QUEUE_SIZE=1)", refusal.path("detail").asText());
      assertTrue(accepted.size() >= 3 && accepted.size() <= 5, "accepted " + accepted.size());

      gate.permits.release(1000);
      for (WsTestClient client : accepted) {
        JsonNode answer = client.next();
        assertEquals("red", answer.at("/result/classes/0/label").asText(), answer.toString());
      }
    } finally {
      gate.permits.release(1000);
      accepted.forEach(WsTestClient::close);
      server.close();
      gate.threads.shutdownNow();
    }
  }
}
