package io.framewire.inference;

import static io.framewire.inference.TestModels.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.Tool;
import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.RgbImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * onnx/detect on dynamically quantized (int8: DynamicQuantizeLinear + ConvInteger) models with a
 * YOLO11n export's interface (make_models.py's int8_yolo11_detector): 640×640 input, output
 * [.., 84, 400] in the YOLOv8 layout, 80 COCO names, exported with batch 1 and with dynamic batch,
 * height and width. Each 32×32 cell of the input is an anchor whose box is the cell: a red cell is a
 * {@code person} scoring mean(R) − mean(G) − mean(B), a green one a {@code car}. The frames here are
 * RGB pixels (no JPEG), with black and pure colours, so quantization is exact and every box and
 * score has one right answer.
 */
class OnnxInt8DetectTest {

  final ModelBatchingTest.GatedExecutor gate = new ModelBatchingTest.GatedExecutor();
  TestModels models;

  @AfterEach
  void stop() throws Exception {
    gate.permits.release(1000);
    if (models != null) {
      models.close();
    }
    gate.threads.shutdownNow();
  }

  /** A black frame with filled rectangles: {x, y, w, h, r, g, b} each. */
  static Map<String, Object> frame(int width, int height, int[]... rects) {
    byte[] rgb = new byte[3 * width * height];
    for (int[] r : rects) {
      for (int y = r[1]; y < r[1] + r[3]; y++) {
        for (int x = r[0]; x < r[0] + r[2]; x++) {
          int p = 3 * (y * width + x);
          rgb[p] = (byte) r[4];
          rgb[p + 1] = (byte) r[5];
          rgb[p + 2] = (byte) r[6];
        }
      }
    }
    return Map.of("frame_index", 0L, DecodedFrame.KEY, DecodedFrame.ofRgb(new RgbImage(width, height, rgb)));
  }

  static List<Map<String, Object>> detect(Tool tool, Map<String, Object> frame) throws Exception {
    return list(tool.applyAsync(frame).toCompletableFuture().get(20, TimeUnit.SECONDS), "detections");
  }

  /** A red 32×32 cell at (160, 96), a green one at (384, 320), a red half cell at (256, 256), a white cell. */
  static Map<String, Object> scene() {
    return frame(640, 640,
        new int[] {160, 96, 32, 32, 255, 0, 0},
        new int[] {384, 320, 32, 32, 0, 255, 0},
        new int[] {256, 256, 16, 32, 255, 0, 0},
        new int[] {480, 64, 32, 32, 255, 255, 255});
  }

  static void assertScene(List<Map<String, Object>> d, int dy) {
    assertEquals(3, d.size(), TestModels.describe(d)); // the white cell scores 0 in every class
    OnnxDetectTest.assertBox(d.get(0), 160, 96 + dy, 32, 32, 1.0, 0, "person");
    OnnxDetectTest.assertBox(d.get(1), 384, 320 + dy, 32, 32, 1.0, 2, "car");
    OnnxDetectTest.assertBox(d.get(2), 256, 256 + dy, 32, 32, 0.5, 0, "person"); // half red: half the score
  }

  @Test
  void batch1_int8_export_detects_each_coloured_cell_with_its_coco_label() throws Exception {
    models = new TestModels();
    LoadedModel model = models.models.load("yolo11_int8_batch1.onnx");
    assertTrue(model.info().batchFixedAtOne());
    assertEquals(80, model.info().names().size());
    assertScene(detect(models.tool("detect", "{\"model\":\"yolo11_int8_batch1.onnx\"}"), scene()), 0);
  }

  /** A 640×480 frame: letterboxed with 80 px of grey above and below, which scores 0; boxes map back. */
  @Test
  void letterbox_padding_scores_nothing_and_boxes_map_back_to_the_frame() throws Exception {
    models = new TestModels();
    Map<String, Object> wide = frame(640, 480,
        new int[] {160, 16, 32, 32, 255, 0, 0}, new int[] {384, 240, 32, 32, 0, 255, 0});
    List<Map<String, Object>> d = detect(models.tool("detect", "{\"model\":\"yolo11_int8_dynamic.onnx\"}"), wide);
    assertEquals(2, d.size(), TestModels.describe(d));
    OnnxDetectTest.assertBox(d.get(0), 160, 16, 32, 32, 1.0, 0, "person");
    OnnxDetectTest.assertBox(d.get(1), 384, 240, 32, 32, 1.0, 2, "car");
  }

  @Test
  void classes_by_coco_name_filter_the_int8_detections() throws Exception {
    models = new TestModels();
    List<Map<String, Object>> cars = detect(
        models.tool("detect", "{\"model\":\"yolo11_int8_dynamic.onnx\",\"classes\":[\"car\"]}"), scene());
    assertEquals(1, cars.size(), TestModels.describe(cars));
    OnnxDetectTest.assertBox(cars.get(0), 384, 320, 32, 32, 1.0, 2, "car");
  }

  /**
   * The dynamic-batch export in one batch of three frames (the model's runs gated by the test, so the
   * three arrive while a first run is in flight): each frame gets its own detections. All frames hold
   * a 0 and a 255, so the one quantization scale DynamicQuantizeLinear takes over the whole batch is
   * each frame's own.
   */
  @Test
  void dynamic_batch_int8_export_answers_each_frame_of_a_batch_with_its_own_detections() throws Exception {
    models = new TestModels(TestModels.settings(TestModels.dir(), Map.of("max-batch", 8)), gate);
    LoadedModel model = models.models.load("yolo11_int8_dynamic.onnx");
    assertFalse(model.info().batchFixedAtOne());
    Tool tool = models.tool("detect", "{\"model\":\"yolo11_int8_dynamic.onnx\"}");
    CompletableFuture<Map<String, Object>> first = tool.applyAsync(scene()).toCompletableFuture();
    gate.awaitTaskWaiting(); // the first run, alone, waits for its permit
    List<CompletableFuture<Map<String, Object>>> batch = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int x = 32 * (2 + 5 * i); // frame i: one red cell at its own place
      batch.add(tool.applyAsync(frame(640, 640, new int[] {x, 32, 32, 32, 255, 0, 0}, new int[] {0, 600, 8, 8, 0, 0, 255}))
          .toCompletableFuture());
    }
    io.framewire.testing.TestServer.await("the batching stage holds the three frames", () -> model.queued() == 0 && model.waiting() == 3);
    gate.permits.release(1);
    assertScene(list(first.get(20, TimeUnit.SECONDS), "detections"), 0);
    gate.awaitTaskWaiting(); // the second run: the three frames together
    gate.permits.release(1);
    for (int i = 0; i < 3; i++) {
      List<Map<String, Object>> d = list(batch.get(i).get(20, TimeUnit.SECONDS), "detections");
      assertEquals(1, d.size(), "frame " + i + ": " + TestModels.describe(d));
      OnnxDetectTest.assertBox(d.get(0), 32 * (2 + 5 * i), 32, 32, 32, 1.0, 0, "person");
    }
    assertEquals(2, models.metric("inference_batch_size_count", "yolo11_int8_dynamic.onnx"));
    assertEquals(4, models.metric("inference_batch_size_sum", "yolo11_int8_dynamic.onnx"));
  }
}
