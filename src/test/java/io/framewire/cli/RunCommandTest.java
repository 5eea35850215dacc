package io.framewire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.framewire.inference.TestModels;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializationExtension$;
import io.framewire.testing.StreamServers;
import io.framewire.testing.TestVideos;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code framewire run} in-process: its stdout lines, its one stderr line on failure, its exit status. */
class RunCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static Path video;

  @BeforeAll
  static void media() {
    video = TestVideos.numberedGray(dir, 30);
  }

  record Outcome(int status, String out, String err) {
    List<JsonNode> lines() throws Exception {
      List<JsonNode> nodes = new java.util.ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isEmpty()) {
          nodes.add(JSON.readTree(line));
        }
      }
      return nodes;
    }
  }

  static Outcome run(boolean terminal, String... args) {
    return run(ConfigFactory.load(), terminal, args);
  }

  /** The command with this configuration (as application.conf and the environment would give it). */
  static Outcome run(Config config, boolean terminal, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = RunCommand.run(args, config, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), terminal);
    return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void printsOneJsonLinePerProcessedFrameInOrderAndExitsZero() throws Exception {
    Outcome outcome = run(false, "inspect", video.toString(), "--stride", "5", "--max-frames", "4");
    assertEquals(0, outcome.status(), outcome.err());
    assertEquals("", outcome.err(), "no progress unless asked or on a terminal");
    List<JsonNode> lines = outcome.lines();
    assertEquals(List.of(0, 5, 10, 15), lines.stream().map(l -> l.get("frame_index").asInt()).toList());
    for (JsonNode line : lines) {
      assertEquals(List.of("frame_index", "result"), iterable(line.fieldNames()));
      assertEquals(TestVideos.grayOf(line.get("frame_index").asInt()),
          line.at("/result/mean_luminance").asDouble(), 3.0);
    }
  }

  @Test
  void writesToTheOutputFileAndShowsProgressWhenAsked() throws Exception {
    Path output = dir.resolve("results.jsonl");
    Outcome outcome = run(false, "echo", video.toString(), "--output", output.toString(), "--progress");
    assertEquals(0, outcome.status(), outcome.err());
    assertEquals("", outcome.out());
    List<String> lines = Files.readAllLines(output);
    assertEquals(30, lines.size());
    assertEquals("{\"frame_index\":29,\"result\":{\"frame_index\":29,\"width\":160,\"height\":120}}",
        normalise(lines.get(29)));
    assertTrue(outcome.err().matches("(?s).*30 frames, [0-9.]+ fps\\n"), outcome.err());
  }

  @Test
  void onATerminalProgressRedrawsOneLineWithTheEta() {
    Outcome outcome = run(true, "echo", video.toString());
    assertEquals(0, outcome.status(), outcome.err());
    assertTrue(outcome.err().startsWith("\r"), outcome.err());
    assertTrue(outcome.err().endsWith("\n"), "the line is finished at the end");
  }

  @Test
  void anRtspUrlIsAnInputToo() throws Exception {
    try (var camera = io.framewire.testing.StreamServers.rtsp(io.framewire.testing.StreamServers.freePort(), "160x120")) {
      Outcome outcome = run(false, "echo", camera.url, "--max-frames", "5", "--stride", "2");
      assertEquals(0, outcome.status(), outcome.err());
      assertEquals(List.of(0, 2, 4, 6, 8), outcome.lines().stream().map(l -> l.get("frame_index").asInt()).toList());
      assertEquals(160, outcome.lines().get(0).at("/result/width").asInt());
    }
  }

  /**
   * The server's engine, onnx tools included: a PIPELINES_DIR pipeline running onnx/detect on a
   * generated model (constant boxes, src/test/models/make_models.py) over a file. Before run shared
   * the server's engine factory this failed with "unknown plugin 'onnx'".
   */
  @Test
  void anOnnxPipelineFromThePipelinesDirRunsOnTheModelsDir() throws Exception {
    Path pipelines = Files.createDirectories(dir.resolve("onnx-pipelines"));
    Files.writeString(pipelines.resolve("detect.json"), """
        {"id":"detect","name":"detect","nodes":[
           {"id":"d","plugin_id":"onnx","tool_id":"detect","params":{"model":"yolov8_const.onnx"}}],
         "edges":[],"entry_nodes":["d"],"output_nodes":["d"]}""");
    Config config = ConfigFactory.parseMap(Map.of(
            "framewire.pipelines.dir", pipelines.toString(),
            "framewire.inference.models-dir", TestModels.dir().toString()))
        .withFallback(ConfigFactory.load());

    Outcome outcome = run(config, false, "detect", video.toString(), "--stride", "10");
    assertEquals(0, outcome.status(), outcome.err());
    assertEquals("", outcome.err());
    List<JsonNode> lines = outcome.lines();
    assertEquals(List.of(0, 10, 20), lines.stream().map(l -> l.get("frame_index").asInt()).toList());
    for (JsonNode line : lines) {
      JsonNode detections = line.at("/result/detections");
      assertEquals(3, detections.size(), line.toString());
      JsonNode person = detections.get(0);
      assertEquals("person", person.get("label").asText());
      assertEquals(0.9, person.get("score").asDouble(), 1e-4);
      // The model's 20x20 box at (22, 22) of its 64x64 letterbox, in the 160x120 frame's pixels.
      assertEquals(55, person.get("x").asDouble(), 0.05);
      assertEquals(35, person.get("y").asDouble(), 0.05);
      assertEquals(50, person.get("w").asDouble(), 0.05);
    }
  }

  @Test
  void aLiveHttpStreamRunsUntilMaxFrames() throws Exception {
    try (var camera = StreamServers.ffmpegHttp(StreamServers.freePort())) {
      Outcome outcome = run(false, "echo", camera.url, "--max-frames", "5");
      assertEquals(0, outcome.status(), outcome.err());
      assertEquals(List.of(0, 1, 2, 3, 4), outcome.lines().stream().map(l -> l.get("frame_index").asInt()).toList());
      assertEquals(160, outcome.lines().get(0).at("/result/width").asInt());
    }
  }

  @Test
  void aBadSettingExitsOneNamingTheKey() {
    Outcome outcome = run(ConfigFactory.parseMap(Map.of("framewire.inference.max-batch", 0))
        .withFallback(ConfigFactory.load()), false, "echo", video.toString());
    assertEquals(1, outcome.status());
    assertEquals("framewire run: framewire.inference.max-batch (INFERENCE_MAX_BATCH) must be >= 1 or auto, got 0\n",
        outcome.err());
  }

  @Test
  void anUnreachableUrlExitsOneWithFfmpegsReason() {
    Outcome outcome = run(false, "echo", "tcp://127.0.0.1:9");
    assertEquals(1, outcome.status());
    assertEquals("framewire run: cannot open tcp://127.0.0.1:9: Connection refused\n", outcome.err());
  }

  @Test
  void aMissingFileExitsOneWithOneLine() {
    Outcome outcome = run(false, "echo", dir.resolve("missing.mp4").toString());
    assertEquals(1, outcome.status());
    assertEquals("framewire run: cannot open " + dir.resolve("missing.mp4") + ": no such file\n", outcome.err());
    assertEquals("", outcome.out());
  }

  @Test
  void aCorruptFileExitsOneWithFfmpegsReasonAndNoStackTrace() {
    Outcome outcome = run(false, "echo", TestVideos.corrupt(dir).toString());
    assertEquals(1, outcome.status());
    assertTrue(outcome.err().startsWith("framewire run: cannot open "), outcome.err());
    assertTrue(outcome.err().contains("Invalid data found when processing input"), outcome.err());
    assertEquals(1, outcome.err().lines().count(), outcome.err());
    assertFalse(outcome.err().contains("Exception"), outcome.err());
  }

  @Test
  void anUnknownPipelineExitsOneAndNamesTheKnownOnes() {
    Outcome outcome = run(false, "nope", video.toString());
    assertEquals(1, outcome.status());
    assertTrue(outcome.err().startsWith("framewire run: unknown pipeline 'nope' (known: echo, inspect, motion, motion_codes, motion_track)"),
        outcome.err());
  }

  @Test
  void badArgumentsExitTwoWithTheUsage() {
    for (String[] args : List.of(new String[] {"echo"}, new String[] {"echo", "x.mp4", "--stride", "0"},
        new String[] {"echo", "x.mp4", "--max-frames"}, new String[] {"echo", "x.mp4", "--fast"})) {
      Outcome outcome = run(false, args);
      assertEquals(2, outcome.status(), String.join(" ", args));
      assertTrue(outcome.err().startsWith("framewire run: "), outcome.err());
      assertTrue(outcome.err().contains("usage: framewire run PIPELINE_ID INPUT"), outcome.err());
    }
    Outcome help = run(false, "--help");
    assertEquals(0, help.status());
    assertTrue(help.out().startsWith("usage: framewire run"));
  }

  @Test
  void theRunsActorSystemMakesSerializationOnlyWhenAskedAndStillSerializes() throws Exception {
    Config pekko = ConfigFactory.load();
    Config run = RunCommand.withoutSerializationAtStart(pekko);
    List<String> before = pekko.getStringList("pekko.library-extensions");
    List<String> after = run.getStringList("pekko.library-extensions");
    assertTrue(before.contains("org.apache.pekko.serialization.SerializationExtension$"), before.toString());
    assertEquals(before.stream().filter(e -> !e.endsWith("SerializationExtension$")).toList(), after,
        "every other library extension is kept, in order");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "run-serialization", run);
    try {
      assertFalse(system.classicSystem().hasExtension(SerializationExtension$.MODULE$), "not made at start");
      Serialization serialization = SerializationExtension.get(system.classicSystem()); // made on first use
      byte[] bytes = serialization.serialize("a frame").get();
      assertEquals("a frame", serialization.deserialize(bytes, String.class).get());
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get();
    }
  }

  private static String normalise(String line) throws Exception {
    return JSON.writeValueAsString(JSON.readTree(line));
  }

  private static List<String> iterable(java.util.Iterator<String> names) {
    List<String> list = new java.util.ArrayList<>();
    names.forEachRemaining(list::add);
    return list;
  }
}
