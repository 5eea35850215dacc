package io.framewire.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.engine.DagPipelineService;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.pipeline.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example pipelines of docs/models.md (docs/examples/pipelines) load and run, with the test
 * models standing in for yolov8n.onnx and yolov8n-cls.onnx.
 */
class DocsExamplePipelinesTest {

  @TempDir Path modelsDir;

  @Test
  void the_documented_pipelines_load_and_run() throws Exception {
    Files.copy(TestModels.dir().resolve("yolov8_const.onnx"), modelsDir.resolve("yolov8n.onnx"));
    Files.copy(TestModels.dir().resolve("classify_means.onnx"), modelsDir.resolve("yolov8n-cls.onnx"));
    try (TestModels models = new TestModels(TestModels.settings(modelsDir), null)) {
      ToolRegistry tools = ToolRegistry.fromClasspath(List.of(new OnnxPlugin(models.models)));
      PipelineRegistry pipelines = PipelineRegistry.load(tools, Optional.of(Path.of("docs/examples/pipelines")));
      assertTrue(pipelines.get("detect").isPresent());
      assertTrue(pipelines.get("detect_people").isPresent());
      DagPipelineService dag = new DagPipelineService(pipelines, tools, models.cpu);
      Map<String, Object> result = dag.runPipeline("detect_people", TestModels.solidFrame(128, 64, 255, 0, 0))
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
      // The stand-in detector's person and car pass confidence 0.4 and the classes filter; its dog does not.
      assertEquals(List.of("person", "car"), TestModels.list(result, "detections").stream().map(d -> d.get("label")).toList());
      assertEquals("red", TestModels.list(result, "classes").get(0).get("label"));
      assertEquals(2, models.models.loaded().size());
    }
  }
}
