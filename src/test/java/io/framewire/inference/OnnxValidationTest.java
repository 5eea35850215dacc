package io.framewire.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.pipeline.PipelineLoadException;
import io.framewire.pipeline.PipelineRegistry;
import io.framewire.tools.ToolRegistry;
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
  private final ModelRegistry models = ModelRegistry.create(InferenceSettings.defaults(TestModels.dir()));
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
    assertContains(refused("detect", "{}"), "params.model is required", TestModels.dir().toString());
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
        "params.format must be one of [yolov5, yolov8]");
  }

  @Test
  void bad_labels_classes_and_unknown_params() throws IOException {
    assertContains(refused("detect", "{\"model\":\"yolov8_const.onnx\",\"labels\":[\"a\"]}"),
        "params.labels has 1 labels", "has 3 classes");
    assertContains(refused("detect", "{\"model\":\"yolov8_const.onnx\",\"classes\":[\"cat\"]}"),
        "'cat' is not a label", "[person, car, dog]");
    assertContains(refused("detect", "{\"model\":\"yolov8_const.onnx\",\"confidance\":0.5}"), "unknown param 'confidance'");
    assertContains(refused("detect", "{\"model\":\"yolov8_const.onnx\",\"confidence\":2}"), "params.confidence");
  }

  @Test
  void a_file_that_is_not_a_model() throws IOException {
    Path dir = Files.createTempDirectory("models");
    Files.writeString(dir.resolve("broken.onnx"), "not a model");
    try (ModelRegistry broken = ModelRegistry.create(InferenceSettings.defaults(dir))) {
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
