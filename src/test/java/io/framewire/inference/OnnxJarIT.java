package io.framewire.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.ServerProcess;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged fat jar runs a model: its ONNX Runtime natives (only linux-x64's are kept) load, a
 * pipeline from PIPELINES_DIR names a model in MODELS_DIR, a WebSocket frame gets detections, and
 * SIGTERM closes the model with the server.
 */
class OnnxJarIT {

  @TempDir Path pipelines;

  @Test
  void theJarLoadsAModelFromModelsDirAndDetects() throws Exception {
    Path jar = Path.of("target", "framewire.jar");
    assertTrue(Files.isRegularFile(jar), "run after mvn package");
    Files.writeString(pipelines.resolve("detect.json"), """
        {"id":"detect","name":"detect","nodes":[{"id":"objects","plugin_id":"onnx","tool_id":"detect",
          "params":{"model":"yolov8_const.onnx"}}],"edges":[],"entry_nodes":["objects"],"output_nodes":["objects"]}""");
    ProcessBuilder builder = ServerProcess.java("-jar", jar.toString());
    builder.environment().put("MODELS_DIR", TestModels.dir().toString());
    builder.environment().put("PIPELINES_DIR", pipelines.toString());
    try (ServerProcess server = ServerProcess.start(builder)) {
      int p = server.port(Duration.ofSeconds(60));

      try (WsTestClient client = WsTestClient.stream(p, "detect")) {
        JsonNode answer = client.sendBinary(TestJpegs.solid(128, 64, Color.GRAY)).next();
        assertEquals(3, answer.at("/result/detections").size(), answer.toString());
        assertEquals("person", answer.at("/result/detections/0/label").asText(), answer.toString());
        assertEquals(44, answer.at("/result/detections/0/x").asDouble(), 0.05, answer.toString());
      }
      assertTrue(server.terminate(Duration.ofSeconds(30)), "exits after SIGTERM");
      assertTrue(server.output().contains("loaded LoadedModel[yolov8_const.onnx"), server.output());
      assertTrue(server.output().contains("closed model 'yolov8_const.onnx'"), server.output());
    }
  }
}
