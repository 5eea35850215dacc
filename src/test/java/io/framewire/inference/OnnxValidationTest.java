package io.framewire.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.pipeline.PipelineLoadException;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.api.ParamSpec;
import io.framewire.pipeline.ToolRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad onnx params are refused when the pipelines load (at startup), with the pipeline file, the node
 * and the model named; a good pipeline loads each model once.
 */
class OnnxValidationTest {

  @TempDir Path pipelinesDir;
  private final ModelRegistry models = ModelRegistry.create(TestModels.settings(TestModels.dir()));
  private final ToolRegistry tools = ToolRegistry.fromClasspath(List.of(new OnnxPlugin(models)));

  @AfterEach
  void close() {
    models.close();
  }

  private String refused(String tool, String params) throws IOException {
    Files.writeString(pipelinesDir.resolve("camera.json"), """
        {"id":"camera","name":"camera","nodes":[{"id":"detector","plugin_id":"onnx","tool_id":"%s","params":%s}],
         "edges":[],"entry_nodes":["detector"],"output_nodes":["detector"]}""".formatted(tool, params));
    PipelineLoadException e = assertThrows(PipelineLoadException.class,
        () -> PipelineRegistry.load(tools, Optional.of(pipelinesDir)));
    String message = e.getMessage();
    assertTrue(message.contains("camera.json"), message);
    assertTrue(message.contains("node 'detector'"), message);
    return message;
  }

  private static void assertContains(String message, String... parts) {
    for (String part : parts) {
      assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
    }
  }

  @Test
  void missing_model_param() throws IOException {
    assertContains(refused("detect", "{}"), "node 'detector': missing required param 'model' (a string)");
    assertContains(refused("classify", "{\"top_k\":3}"), "node 'detector': missing required param 'model' (a string)");
    assertContains(refused("detect", "{\"model\":\" \"}"),
        "invalid params: param 'model' must not be empty", TestModels.dir().toString());
  }

  @Test
  void model_file_not_found() throws IOException {
    assertContains(refused("detect", "{\"model\":\"yolov8n.onnx\"}"), "model 'yolov8n.onnx' not found in MODELS_DIR");
  }

  @Test
  void paths_escaping_the_models_dir() throws IOException {
    assertContains(refused("detect", "{\"model\":\"../test-classes/logback-test.xml\"}"), "inside MODELS_DIR");
    assertContains(refused("classify", "{\"model\":\"/etc/passwd\"}"), "inside MODELS_DIR");
  }

  @Test
  void wrong_format_for_the_output_shape() throws IOException {
    assertContains(refused("detect", "{\"model\":\"yolov5_const.onnx\"}"),
        "model 'yolov5_const.onnx' output [", ", 16, 8] does not fit format 'yolov8'", "format 'yolov5'?");
    assertContains(refused("detect", "{\"model\":\"yolov8_const.onnx\",\"format\":\"yolov5\"}"),
        "does not fit format 'yolov5'");
    assertContains(refused("detect", "{\"model\":\"classify_means.onnx\"}"), "is not a YOLO detector output");
    assertContains(refused("classify", "{\"model\":\"yolov8_const.onnx\"}"), "is not a classifier output");
    assertContains(refused("detect", "{\"model\":\"yolov8_const.onnx\",\"format\":\"ssd\"}"),
        "node 'detector': param 'format' has unknown value 'ssd' (allowed: yolov8, yolov5)");
    assertContains(refused("detect", "{\"model\":\"yolov8_const.onnx\",\"format\":\"YOLOv5\"}"),
        "param 'format' has unknown value 'YOLOv5' (did you mean 'yolov5'? allowed: yolov8, yolov5)");
  }

  @Test
  void bad_labels_classes_and_unknown_params() throws IOException {
    assertContains(refused("detect", "{\"model\":\"yolov8_const.onnx\",\"labels\":[\"a\"]}"),
        "node 'detector': invalid params: param 'labels' has 1 labels, model 'yolov8_const.onnx' has 3 classes");
    assertContains(refused("classify", "{\"model\":\"classify_means.onnx\",\"labels\":[\"a\"]}"),
        "param 'labels' has 1 labels, model 'classify_means.onnx' has 3 classes");
    assertContains(refused("detect", "{\"model\":\"yolov8_const.onnx\",\"labels\":[\"a\",\"\",\"c\"]}"),
        "param 'labels' must not contain empty labels");
    assertContains(refused("detect", "{\"model\":\"yolov8_const.onnx\",\"classes\":[\"cat\"]}"),
        "'cat' is not a label", "[person, car, dog]");
    assertContains(refused("detect", "{\"model\":\"yolov8_const.onnx\",\"confidance\":0.5}"),
        "node 'detector': unknown param 'confidance' (did you mean 'confidence'?)");
    assertContains(refused("detect", "{\"model\":\"yolov8_const.onnx\",\"confidence\":2}"),
        "node 'detector': param 'confidence' must be in 0..1, got 2");
    assertContains(refused("classify", "{\"model\":\"classify_means.onnx\",\"top_k\":0}"),
        "node 'detector': param 'top_k' must be >= 1, got 0");
  }

  @Test
  void schema_problems_are_reported_together() throws IOException {
    String message = refused("detect", """
        {"confidance":0.5,"iou":"high","format":"yolo8","max_detections":0,"classes":[],"normalize":true}""");
    assertContains(message,
        "node 'detector': unknown param 'confidance' (did you mean 'confidence'?)",
        "node 'detector': unknown param 'normalize' (known: model, format, confidence, iou, max_detections, classes, labels)",
        "node 'detector': missing required param 'model' (a string)",
        "node 'detector': param 'iou' must be a number, got \"high\"",
        "node 'detector': param 'format' has unknown value 'yolo8' (did you mean 'yolov8'? allowed: yolov8, yolov5)",
        "node 'detector': param 'max_detections' must be >= 1, got 0",
        "node 'detector': param 'classes' must be a non-empty array of strings, got []");
  }

  @Test
  void the_plugin_declares_its_params_and_reads_them_through_that_schema() {
    OnnxPlugin plugin = new OnnxPlugin(models);
    for (String tool : plugin.toolIds()) {
      assertFalse(plugin.description(tool).isEmpty(), tool);
      List<ParamSpec> specs = plugin.params(tool).orElseThrow();
      ParamSpec model = specs.get(0);
      assertEquals("model", model.name());
      assertTrue(model.required(), tool);
    }
    assertFalse(plugin.description().isEmpty());
    List<ParamSpec> detect = plugin.params("detect").orElseThrow();
    assertEquals(List.of("model", "format", "confidence", "iou", "max_detections", "classes", "labels"),
        detect.stream().map(ParamSpec::name).toList());
    assertEquals(List.of("model", "top_k", "labels", "normalize"),
        plugin.params("classify").orElseThrow().stream().map(ParamSpec::name).toList());

    // The values the tools run with are the schema's defaults when absent, the given ones otherwise.
    DetectParams defaults = DetectParams.from(TestModels.json("{\"model\":\"m.onnx\"}"));
    assertEquals(new DetectParams("m.onnx", "yolov8", 0.25, 0.45, 100, null, null), defaults);
    assertEquals(defaultOf(detect, "format"), defaults.format());
    assertEquals(defaultOf(detect, "confidence"), defaults.confidence());
    assertEquals(defaultOf(detect, "iou"), defaults.iou());
    assertEquals(((Number) defaultOf(detect, "max_detections")).intValue(), defaults.maxDetections());
    assertEquals(new DetectParams("m.onnx", "yolov5", 0.5, 0.3, 7, List.of("car"), List.of("a", "car")),
        DetectParams.from(TestModels.json("""
            {"model":"m.onnx","format":"yolov5","confidence":0.5,"iou":0.3,"max_detections":7,
             "classes":["car"],"labels":["a","car"]}""")));
    assertEquals(new ClassifyParams("m.onnx", 5, null, true), ClassifyParams.from(TestModels.json("{\"model\":\"m.onnx\"}")));
    assertEquals(new ClassifyParams("m.onnx", 2, List.of("x"), false),
        ClassifyParams.from(TestModels.json("{\"model\":\"m.onnx\",\"top_k\":2,\"labels\":[\"x\"],\"normalize\":false}")));

    // create() refuses what the validator refuses, with the same words, all at once.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> plugin.create("detect", TestModels.json("{\"confidance\":0.5}")));
    assertEquals("unknown param 'confidance' (did you mean 'confidence'?); missing required param 'model' (a string)",
        e.getMessage());
  }

  private static Object defaultOf(List<ParamSpec> specs, String name) {
    return specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow().defaultValue();
  }

  @Test
  void a_file_that_is_not_a_model() throws IOException {
    Path dir = Files.createTempDirectory("models");
    Files.writeString(dir.resolve("broken.onnx"), "not a model");
    try (ModelRegistry broken = ModelRegistry.create(TestModels.settings(dir))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> broken.load("broken.onnx"));
      assertTrue(e.getMessage().startsWith("model 'broken.onnx' cannot be loaded by ONNX Runtime"), e.getMessage());
    }
  }

  @Test
  void validation_loads_each_model_once_and_keeps_it() throws IOException {
    for (String id : List.of("a", "b")) {
      Files.writeString(pipelinesDir.resolve(id + ".json"), """
          {"id":"%s","name":"%s","nodes":[
             {"id":"d","plugin_id":"onnx","tool_id":"detect","params":{"model":"yolov8_const.onnx"}},
             {"id":"c","plugin_id":"onnx","tool_id":"classify","params":{"model":"classify_means.onnx"}}],
           "edges":[],"entry_nodes":["d","c"],"output_nodes":["d","c"]}""".formatted(id, id));
    }
    LoadedModel before = models.load("yolov8_const.onnx");
    PipelineRegistry.load(tools, Optional.of(pipelinesDir));
    assertEquals(2, models.loaded().size());
    assertSame(before, models.load("yolov8_const.onnx"));
    assertTrue(!before.isClosed());
  }

  @Test
  void cuda_is_refused_at_startup_when_the_runtime_lacks_it() {
    InferenceSettings cuda = new InferenceSettings(TestModels.dir(), InferenceSettings.Provider.CUDA, 8, 64, 1, 0);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> ModelRegistry.create(cuda));
    assertContains(e.getMessage(), "INFERENCE_PROVIDER=cuda", "no CUDA", "onnxruntime_gpu");
  }
}
