package io.framewire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.inference.TestModels;
import io.framewire.testing.TestVideos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/framewire.jar run …} as a user runs it: the fat jar finds FFmpeg's natives,
 * stdout holds only the result lines (no log line leaks into it), and the exit status tells.
 */
class RunCommandIT {

  @TempDir Path dir;

  record Exit(int status, String out, String err) {}

  private Exit jar(String... args) throws Exception {
    return jar(Map.of(), args);
  }

  private Exit jar(Map<String, String> environment, String... args) throws Exception {
    Path jar = Path.of("target", "framewire.jar");
    assertTrue(Files.isRegularFile(jar), "run after mvn package");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "run"));
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout");
    Path err = dir.resolve("stderr");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the command ends");
    return new Exit(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theJarRunsAPipelineOverAFileWithOnlyResultsOnStdout() throws Exception {
    Path video = TestVideos.numberedGray(dir, 12);
    Exit exit = jar("echo", video.toString(), "--stride", "4");
    assertEquals(0, exit.status(), exit.err());
    assertEquals("""
        {"frame_index":0,"result":{"frame_index":0,"width":160,"height":120}}
        {"frame_index":4,"result":{"frame_index":4,"width":160,"height":120}}
        {"frame_index":8,"result":{"frame_index":8,"width":160,"height":120}}
        """, exit.out());
    assertEquals("", exit.err());
  }

  /**
   * The case: {@code run} with an onnx/detect pipeline from PIPELINES_DIR on a model of
   * MODELS_DIR (environment overrides of application.conf over the jar's reference.conf) answered
   * "unknown plugin 'onnx'"; it now runs on the server's engine.
   */
  @Test
  void theJarRunsAnOnnxPipelineFromTheEnvironmentsDirectories() throws Exception {
    Path video = TestVideos.numberedGray(dir, 4);
    Path pipelines = Files.createDirectories(dir.resolve("pipelines"));
    Files.writeString(pipelines.resolve("detect.json"), """
        {"id":"detect","name":"detect","nodes":[
           {"id":"d","plugin_id":"onnx","tool_id":"detect","params":{"model":"yolov8_const.onnx"}}],
         "edges":[],"entry_nodes":["d"],"output_nodes":["d"]}""");
    Exit exit = jar(Map.of("PIPELINES_DIR", pipelines.toString(), "MODELS_DIR", TestModels.dir().toString()),
        "detect", video.toString());
    assertEquals(0, exit.status(), exit.err());
    assertEquals("", exit.err());
    List<String> lines = exit.out().lines().toList();
    assertEquals(4, lines.size(), exit.out());
    for (String line : lines) {
      assertTrue(line.contains("\"label\":\"person\""), line);
    }
  }

  @Test
  void theJarExitsOneWithOneLineForAMissingFile() throws Exception {
    Exit exit = jar("motion", dir.resolve("none.mp4").toString());
    assertEquals(1, exit.status());
    assertEquals("framewire run: cannot open " + dir.resolve("none.mp4") + ": no such file\n", exit.err());
    assertEquals("", exit.out());
  }
}
