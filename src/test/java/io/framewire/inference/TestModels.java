package io.framewire.inference;

import io.framewire.settings.FramewireSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.framewire.metrics.InferenceMetrics;
import io.framewire.api.Tool;
import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.RgbImage;
import io.prometheus.client.CollectorRegistry;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.stream.Materializer;

/**
 * The generated test models (src/test/models/make_models.py → src/test/resources/models) and a
 * started {@link ModelRegistry} over them with a real ONNX Runtime, for tests.
 */
public final class TestModels implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The folder of the committed test models. */
  public static Path dir() {
    try {
      return Path.of(TestModels.class.getResource("/models/yolov8_const.onnx").toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  public final ActorTestKit kit = ActorTestKit.create("models-test");
  public final ExecutorService cpu = Executors.newFixedThreadPool(4);
  public final CollectorRegistry metricsRegistry = new CollectorRegistry();
  public final ModelRegistry models;

  public TestModels() {
    this(settings(dir()), null);
  }

  /** The server's inference settings (application.conf's defaults) over the models in {@code dir}. */
  public static InferenceSettings settings(Path dir) {
    return settings(dir, Map.of());
  }

  /**
   * The server's inference settings over the models in {@code dir}, with {@code overrides} of {@code
   * framewire.inference.*} keys, e.g. {@code max-batch}: read as the server reads them.
   */
  public static InferenceSettings settings(Path dir, Map<String, ?> overrides) {
    Map<String, Object> keys = new HashMap<>();
    overrides.forEach((key, value) -> keys.put("framewire.inference." + key, value));
    keys.put("framewire.inference.models-dir", dir.toString());
    return FramewireSettings.from(ConfigFactory.parseMap(keys).withFallback(ConfigFactory.load())).engine().inference();
  }

  /** @param runExecutor where model runs happen (null: the registry's own threads) */
  public TestModels(InferenceSettings settings, Executor runExecutor) {
    models = ModelRegistry.create(settings, runExecutor);
    models.start(Materializer.matFromSystem(kit.system()), cpu, new InferenceMetrics(metricsRegistry));
  }

  public Tool tool(String toolId, String paramsJson) {
    return new OnnxPlugin(models).create(toolId, json(paramsJson));
  }

  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A tool input carrying a decoded solid-colour frame. */
  public static Map<String, Object> solidFrame(int width, int height, int r, int g, int b) {
    byte[] rgb = new byte[3 * width * height];
    for (int i = 0; i < rgb.length; i += 3) {
      rgb[i] = (byte) r;
      rgb[i + 1] = (byte) g;
      rgb[i + 2] = (byte) b;
    }
    return Map.of("frame_index", 0L, DecodedFrame.KEY, DecodedFrame.ofRgb(new RgbImage(width, height, rgb)));
  }

  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> list(Map<String, Object> result, String key) {
    return (List<Map<String, Object>>) result.get(key);
  }

  public double metric(String name, String model) {
    Double value = metricsRegistry.getSampleValue(name, new String[] {"model"}, new String[] {model});
    return value == null ? 0 : value;
  }

  @Override
  public void close() throws Exception {
    models.shutdown().toCompletableFuture().get(20, TimeUnit.SECONDS);
    kit.shutdownTestKit();
    cpu.shutdownNow();
  }

  static String describe(List<Map<String, Object>> detections) {
    return Arrays.toString(detections.toArray());
  }
}
