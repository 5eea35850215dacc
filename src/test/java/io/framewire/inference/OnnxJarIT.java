package io.framewire.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged fat jar runs a model: its ONNX Runtime natives (only linux-x64's are kept) load, a
 * pipeline from PIPELINES_DIR names a model in MODELS_DIR, a WebSocket frame gets detections, and
 * SIGTERM closes the model with the server.
 */
class OnnxJarIT {

  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/");

  @TempDir Path pipelines;

  @Test
  void theJarLoadsAModelFromModelsDirAndDetects() throws Exception {
    Path jar = Path.of("target", "framewire.jar");
    assertTrue(Files.isRegularFile(jar), "run after mvn package");
    Files.writeString(pipelines.resolve("detect.json"), """
        {"id":"detect","name":"detect","nodes":[{"id":"objects","plugin_id":"onnx","tool_id":"detect",
          "params":{"model":"yolov8_const.onnx"}}],"edges":[],"entry_nodes":["objects"],"output_nodes":["objects"]}""");
    ProcessBuilder builder = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString());
    builder.environment().put("HTTP_HOST", "127.0.0.1");
    builder.environment().put("HTTP_PORT", "0");
    builder.environment().put("MODELS_DIR", TestModels.dir().toString());
    builder.environment().put("PIPELINES_DIR", pipelines.toString());
    builder.redirectErrorStream(true);
    Process server = builder.start();
    StringBuilder output = new StringBuilder();
    try {
      CompletableFuture<Integer> port = new CompletableFuture<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader lines = new BufferedReader(
            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = lines.readLine()) != null) {
            synchronized (output) {
              output.append(line).append('\n');
            }
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
              port.complete(Integer.parseInt(m.group(1)));
            }
          }
          port.completeExceptionally(new AssertionError("the server exited before listening"));
        } catch (Exception e) {
          port.completeExceptionally(e);
        }
      });
      reader.setDaemon(true);
      reader.start();
      int p = port.get(60, TimeUnit.SECONDS);

      try (WsTestClient client = WsTestClient.stream(p, "detect")) {
        JsonNode answer = client.sendBinary(TestJpegs.solid(128, 64, Color.GRAY)).next();
        assertEquals(3, answer.at("/result/detections").size(), answer.toString());
        assertEquals("person", answer.at("/result/detections/0/label").asText(), answer.toString());
        assertEquals(44, answer.at("/result/detections/0/x").asDouble(), 0.05, answer.toString());
      }
      server.toHandle().destroy(); // SIGTERM
      assertTrue(server.waitFor(30, TimeUnit.SECONDS), "exits after SIGTERM");
      reader.join(10_000);
      synchronized (output) {
        assertTrue(output.toString().contains("loaded LoadedModel[yolov8_const.onnx"), output.toString());
        assertTrue(output.toString().contains("closed model 'yolov8_const.onnx'"), output.toString());
      }
    } finally {
      server.destroyForcibly();
    }
  }
}
