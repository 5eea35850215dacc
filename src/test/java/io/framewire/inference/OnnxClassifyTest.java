package io.framewire.inference;

import static io.framewire.inference.TestModels.list;
import static io.framewire.inference.TestModels.solidFrame;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewire.api.Tool;
import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.RgbImage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * onnx/classify on real ONNX Runtime with the test classifiers: {@code classify_means} outputs the
 * softmax of the input's per-channel means, {@code classify_logits} the means themselves (logits).
 */
class OnnxClassifyTest {

  static TestModels models;

  @BeforeAll
  static void start() {
    models = new TestModels();
  }

  @AfterAll
  static void stop() throws Exception {
    models.close();
  }

  static List<Map<String, Object>> classify(Tool tool, Map<String, Object> input) throws Exception {
    return list(tool.applyAsync(input).toCompletableFuture().get(20, TimeUnit.SECONDS), "classes");
  }

  static double[] softmax(double... v) {
    double sum = 0;
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Math.exp(v[i]);
      sum += out[i];
    }
    for (int i = 0; i < v.length; i++) {
      out[i] /= sum;
    }
    return out;
  }

  static double score(Map<String, Object> entry) {
    return ((Number) entry.get("score")).doubleValue();
  }

  @Test
  void red_frame_with_imagenet_normalization() throws Exception {
    List<Map<String, Object>> top =
        classify(models.tool("classify", "{\"model\":\"classify_means.onnx\"}"), solidFrame(100, 50, 255, 0, 0));
    double[] expected = softmax((1 - 0.485) / 0.229, (0 - 0.456) / 0.224, (0 - 0.406) / 0.225);
    assertEquals(List.of("red", "blue", "green"), top.stream().map(c -> c.get("label")).toList());
    assertEquals(List.of(0, 2, 1), top.stream().map(c -> c.get("class_id")).toList());
    assertEquals(expected[0], score(top.get(0)), 1e-3);
    assertEquals(expected[2], score(top.get(1)), 1e-3);
  }

  @Test
  void normalize_false_feeds_plain_0_to_1_values() throws Exception {
    List<Map<String, Object>> top = classify(
        models.tool("classify", "{\"model\":\"classify_means.onnx\",\"normalize\":false}"),
        solidFrame(40, 40, 0, 0, 255));
    double[] expected = softmax(0, 0, 1);
    assertEquals("blue", top.get(0).get("label"));
    assertEquals(expected[2], score(top.get(0)), 1e-3);
  }

  @Test
  void logits_get_a_softmax_probabilities_do_not_get_a_second_one() throws Exception {
    Map<String, Object> green = solidFrame(32, 32, 0, 255, 0);
    List<Map<String, Object>> fromLogits = classify(models.tool("classify", "{\"model\":\"classify_logits.onnx\"}"), green);
    List<Map<String, Object>> fromProbs = classify(models.tool("classify", "{\"model\":\"classify_means.onnx\"}"), green);
    assertEquals("green", fromLogits.get(0).get("label"));
    for (int i = 0; i < 3; i++) {
      assertEquals(score(fromProbs.get(i)), score(fromLogits.get(i)), 1e-3);
    }
    assertEquals(1.0, fromLogits.stream().mapToDouble(OnnxClassifyTest::score).sum(), 1e-3);
  }

  @Test
  void top_k_and_labels_from_params() throws Exception {
    List<Map<String, Object>> top = classify(models.tool("classify",
        "{\"model\":\"classify_means.onnx\",\"top_k\":1,\"labels\":[\"R\",\"G\",\"B\"]}"), solidFrame(32, 32, 255, 0, 0));
    assertEquals(1, top.size());
    assertEquals("R", top.get(0).get("label"));
  }

  /** A 96×32 frame red | green | blue in thirds: resize keeps 32 rows, the centre crop is the green third. */
  @Test
  void centre_crop_keeps_the_middle_of_a_wide_frame() throws Exception {
    int w = 96;
    int h = 32;
    byte[] rgb = new byte[3 * w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        rgb[3 * (y * w + x) + x / 32] = (byte) 255;
      }
    }
    Map<String, Object> input = Map.of(DecodedFrame.KEY, DecodedFrame.ofRgb(new RgbImage(w, h, rgb)));
    List<Map<String, Object>> top = classify(
        models.tool("classify", "{\"model\":\"classify_means.onnx\",\"normalize\":false}"), input);
    assertEquals("green", top.get(0).get("label"));
    assertEquals(softmax(0, 1, 0)[1], score(top.get(0)), 1e-3);
  }
}
