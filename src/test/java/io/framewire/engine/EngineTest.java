package io.framewire.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.framewire.inference.LoadedModel;
import io.framewire.inference.OnnxPlugin;
import io.framewire.inference.TestModels;
import io.framewire.settings.FramewireSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one engine factory: from settings, the onnx tools over the models folder, the pipelines of the
 * directory (a model loaded once, when its pipeline is validated), and the models closed with it.
 */
class EngineTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @TempDir Path dir;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private EngineSettings settings() throws Exception {
    Files.writeString(dir.resolve("detect.json"), """
        {"id":"detect","name":"detect","nodes":[
           {"id":"d","plugin_id":"onnx","tool_id":"detect","params":{"model":"yolov8_const.onnx"}}],
         "edges":[],"entry_nodes":["d"],"output_nodes":["d"]}""");
    return FramewireSettings.from(ConfigFactory.parseMap(Map.of(
            "framewire.pipelines.dir", dir.toString(),
            "framewire.pipelines.watch", false,
            "framewire.inference.models-dir", TestModels.dir().toString()))
        .withFallback(ConfigFactory.load())).engine();
  }

  @Test
  void anEngineFromSettingsRunsOnnxPipelinesAndClosesItsModels() throws Exception {
    Engine engine = Engine.create(settings());
    List<LoadedModel> models;
    try {
      assertTrue(engine.tools().plugin("onnx").orElseThrow() instanceof OnnxPlugin);
      assertTrue(engine.pipelines().get("detect").isPresent());
      assertTrue(engine.pipelines().get("echo").isPresent(), "the built-in pipelines too");
      models = engine.models().orElseThrow().loaded();
      assertEquals(1, models.size(), "the pipeline's model, loaded when it was validated");

      DagPipelineService dag = engine.start(Materializer.matFromSystem(testKit.system()), Engine.blockingExecutor(testKit.system()));
      assertEquals(dag, engine.dag());
      assertThrows(IllegalStateException.class,
          () -> engine.start(Materializer.matFromSystem(testKit.system()), Runnable::run), "started once");
      var result = dag.runPipeline("detect", TestModels.solidFrame(64, 64, 0, 0, 255))
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(3, TestModels.list(result, "detections").size(), result.toString());
    } finally {
      engine.close();
    }
    assertTrue(models.get(0).isClosed(), "closed with the engine");
    engine.close(); // idempotent
  }

  @Test
  void anOnnxPluginAmongTheExtrasReplacesTheEnginesOwnAndIsOwnedByIt() throws Exception {
    TestModels own = new TestModels();
    try (Engine engine = Engine.create(settings(), List.of(new OnnxPlugin(own.models)), List.of())) {
      assertEquals(own.models, engine.models().orElseThrow());
    }
    assertTrue(own.models.loaded().stream().allMatch(LoadedModel::isClosed));
    own.close();
  }
}
