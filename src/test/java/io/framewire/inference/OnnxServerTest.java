package io.framewire.inference;

import io.framewire.settings.FramewireSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real server with onnx pipelines: JPEG frames over WebSockets from several sessions at once, each
 * answered with its own frame's result from the shared, batched model; metrics at /metrics; models
 * closed when the server stops.
 */
class OnnxServerTest {

  static final int FRAMES = 10;

  @Test
  void concurrent_sessions_share_one_model_and_each_gets_its_own_frames_result() throws Exception {
    ModelRegistry models = ModelRegistry.create(TestModels.settings(TestModels.dir()));
    ToolRegistry tools = ToolRegistry.fromClasspath(List.of(new OnnxPlugin(models)));
    PipelineRegistry pipelines = PipelineRegistry.of(tools, List.of(
        PipelineJson.read("""
            {"id":"colour","name":"colour","nodes":[{"id":"c","plugin_id":"onnx","tool_id":"classify",
              "params":{"model":"classify_means.onnx","top_k":1}}],
             "edges":[],"entry_nodes":["c"],"output_nodes":["c"]}"""),
        PipelineJson.read("""
            {"id":"detect","name":"detect","nodes":[
               {"id":"d","plugin_id":"onnx","tool_id":"detect","params":{"model":"yolov8_const.onnx"}},
               {"id":"c","plugin_id":"onnx","tool_id":"classify","params":{"model":"classify_means.onnx","top_k":1}}],
             "edges":[],"entry_nodes":["d","c"],"output_nodes":["d","c"]}""")));
    Config config = ConfigFactory.parseMap(Map.of("framewire.http.host", "127.0.0.1", "framewire.http.port", 0))
        .withFallback(ConfigFactory.load());
    FramewireServer server = FramewireServer.start(FramewireSettings.from(config), tools, pipelines);
    try {
      Map<String, Color> colours = Map.of("red", Color.RED, "green", Color.GREEN, "blue", Color.BLUE, "red2", Color.RED);
      List<CompletableFuture<Void>> sessions = new ArrayList<>();
      for (Map.Entry<String, Color> entry : colours.entrySet()) {
        String expected = entry.getKey().replace("2", "");
        byte[] jpeg = TestJpegs.solid(80, 60, entry.getValue());
        sessions.add(CompletableFuture.runAsync(() -> {
          try (WsTestClient client = WsTestClient.stream(server.port(), "colour")) {
            for (int i = 0; i < FRAMES; i++) {
              JsonNode answer = client.sendBinary(jpeg).next();
              assertEquals(i, answer.path("frame_index").asInt(), answer.toString());
              assertEquals(expected, answer.path("result").path("classes").path(0).path("label").asText(),
                  answer.toString());
            }
          }
        }));
      }
      CompletableFuture.allOf(sessions.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      try (WsTestClient client = WsTestClient.stream(server.port(), "detect")) {
        JsonNode result = client.sendBinary(TestJpegs.solid(128, 64, Color.BLUE)).next().path("result");
        JsonNode person = result.path("detections").path(0);
        assertEquals(3, result.path("detections").size(), result.toString());
        assertEquals("person", person.path("label").asText());
        assertEquals(44, person.path("x").asDouble(), 0.05);
        assertEquals(12, person.path("y").asDouble(), 0.05);
        assertEquals(40, person.path("w").asDouble(), 0.05);
        assertEquals(0.9, person.path("score").asDouble(), 1e-4);
        assertEquals(0, person.path("class_id").asInt());
        assertEquals("blue", result.path("classes").path(0).path("label").asText()); // same frame, decoded once
      }
      assertEquals(2, models.loaded().size());

      String metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(metrics.contains("inference_batch_size_count{model=\"classify_means.onnx\",}"), metrics);
      assertTrue(metrics.contains("inference_seconds_count{model=\"yolov8_const.onnx\",} 1.0"), metrics);
      assertTrue(metrics.contains("inference_queue_depth{model=\"classify_means.onnx\",} 0.0"), metrics);

      // GET /models: each model, how it runs, and its counters (the classifier ran 41 frames, the detector 1).
      JsonNode listed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/models")).build(),
          HttpResponse.BodyHandlers.ofString()).body()).path("models");
      assertEquals(2, listed.size(), listed.toString());
      JsonNode classifier = listed.path(0);
      assertEquals("classify_means.onnx", classifier.path("model").asText());
      assertEquals("[-1,3,32,32]", classifier.path("input_shape").toString());
      assertEquals("dynamic", classifier.path("batch_mode").asText());
      assertEquals("cpu", classifier.path("provider").asText());
      assertEquals("measured", classifier.path("chosen_by").asText());
      assertEquals(4, classifier.path("measured_batches").size());
      LoadedModel loaded = models.load("classify_means.onnx");
      assertEquals(loaded.plan().maxBatch(), classifier.path("max_batch").asInt());
      assertEquals(loaded.plan().concurrentRuns(), classifier.path("concurrent_runs").asInt());
      assertEquals(colours.size() * FRAMES + 1, classifier.path("frames").asLong());
      assertTrue(classifier.path("runs").asLong() >= 1 && classifier.path("runs").asLong() <= colours.size() * FRAMES + 1);
      assertEquals(0, classifier.path("queue_depth").asInt());
      JsonNode detector = listed.path(1);
      assertEquals("yolov8_const.onnx", detector.path("model").asText());
      assertEquals(1, detector.path("runs").asLong());
      assertEquals(1.0, detector.path("mean_batch").asDouble());
    } finally {
      server.close();
    }
    for (LoadedModel model : models.loaded()) {
      assertTrue(model.isClosed(), model + " still open after the server stopped");
    }
  }
}
