package io.framewire.inference;

import static io.framewire.inference.TestModels.list;
import static io.framewire.inference.TestModels.solidFrame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.Tool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * onnx/detect on real ONNX Runtime with the constant-output test detectors (make_models.py): boxes
 * at known input-pixel positions, so every step — letterbox, confidence, class-wise NMS, mapping back
 * and clipping, labels, classes filter — has an exact expected answer.
 *
 * <p>The models' 64×64 input and their boxes (cx, cy, w, h): person 0.9 (32,32,20,20); person 0.8
 * (33,33,20,20), overlapping it; car 0.7 on that same box; dog 0.1 (50,10,8,8); dog 0.6 (10,50,8,8).
 */
class OnnxDetectTest {

  static TestModels models;

  @BeforeAll
  static void start() {
    models = new TestModels();
  }

  @AfterAll
  static void stop() throws Exception {
    models.close();
  }

  static List<Map<String, Object>> detect(Tool tool, int width, int height) throws Exception {
    Map<String, Object> result =
        tool.applyAsync(solidFrame(width, height, 90, 90, 90)).toCompletableFuture().get(20, TimeUnit.SECONDS);
    return list(result, "detections");
  }

  static void assertBox(Map<String, Object> d, double x, double y, double w, double h, double score, int classId,
      String label) {
    String where = d.toString();
    assertEquals(x, ((Number) d.get("x")).doubleValue(), 0.051, where);
    assertEquals(y, ((Number) d.get("y")).doubleValue(), 0.051, where);
    assertEquals(w, ((Number) d.get("w")).doubleValue(), 0.051, where);
    assertEquals(h, ((Number) d.get("h")).doubleValue(), 0.051, where);
    assertEquals(score, ((Number) d.get("score")).doubleValue(), 1e-4, where);
    assertEquals(classId, d.get("class_id"), where);
    assertEquals(label, d.get("label"), where);
  }

  /**
   * A 128×64 frame is scaled by 0.5 into the 64×64 input with 16 px of grey above and below: input
   * (22,22)-(42,42) is source (44,12) size 40×40. The dog's box reaches below the frame and is clipped.
   */
  @Test
  void yolov8_wide_frame_maps_boxes_back_through_the_letterbox_with_classwise_nms() throws Exception {
    List<Map<String, Object>> d = detect(models.tool("detect", "{\"model\":\"yolov8_const.onnx\"}"), 128, 64);
    assertEquals(3, d.size(), TestModels.describe(d)); // the overlapping person and the 0.1 dog are gone
    assertBox(d.get(0), 44, 12, 40, 40, 0.9, 0, "person");
    assertBox(d.get(1), 46, 14, 40, 40, 0.7, 1, "car"); // same box as the suppressed person: another class
    assertBox(d.get(2), 12, 60, 16, 4, 0.6, 2, "dog"); // (6,46)-(14,54) → y 60..76, clipped at 64
  }

  /** A 64×128 frame: padding left and right instead (16 px each side of the 32 px wide content). */
  @Test
  void tall_frame_is_padded_left_and_right() throws Exception {
    List<Map<String, Object>> d = detect(models.tool("detect", "{\"model\":\"yolov8_const.onnx\"}"), 64, 128);
    assertBox(d.get(0), 12, 44, 40, 40, 0.9, 0, "person");
  }

  @Test
  void yolov5_layout_with_objectness_gives_the_same_detections() throws Exception {
    List<Map<String, Object>> d =
        detect(models.tool("detect", "{\"model\":\"yolov5_const.onnx\",\"format\":\"yolov5\"}"), 128, 64);
    assertEquals(3, d.size(), TestModels.describe(d));
    assertBox(d.get(0), 44, 12, 40, 40, 0.9, 0, "person");
    assertBox(d.get(1), 46, 14, 40, 40, 0.7, 1, "car");
    assertBox(d.get(2), 12, 60, 16, 4, 0.6, 2, "dog");
  }

  @Test
  void confidence_filters_boxes() throws Exception {
    List<Map<String, Object>> high =
        detect(models.tool("detect", "{\"model\":\"yolov8_const.onnx\",\"confidence\":0.65}"), 64, 64);
    assertEquals(List.of("person", "car"), high.stream().map(d -> d.get("label")).toList());
    List<Map<String, Object>> low =
        detect(models.tool("detect", "{\"model\":\"yolov8_const.onnx\",\"confidence\":0.05}"), 64, 64);
    assertEquals(List.of("person", "car", "dog", "dog"), low.stream().map(d -> d.get("label")).toList());
  }

  @Test
  void iou_threshold_decides_which_overlapping_boxes_of_one_class_survive() throws Exception {
    // The two person boxes overlap with IoU 361/439 = 0.82.
    List<Map<String, Object>> loose =
        detect(models.tool("detect", "{\"model\":\"yolov8_const.onnx\",\"iou\":0.9}"), 64, 64);
    assertEquals(List.of("person", "person", "car", "dog"), loose.stream().map(d -> d.get("label")).toList());
    assertEquals(0.8, ((Number) loose.get(1).get("score")).doubleValue(), 1e-4);
  }

  @Test
  void labels_from_params_replace_the_model_names() throws Exception {
    List<Map<String, Object>> d = detect(models.tool("detect",
        "{\"model\":\"yolov8_const.onnx\",\"labels\":[\"adult\",\"vehicle\",\"pet\"]}"), 64, 64);
    assertEquals(List.of("adult", "vehicle", "pet"), d.stream().map(x -> x.get("label")).toList());
  }

  @Test
  void classes_keeps_only_the_named_labels_and_max_detections_caps_the_answer() throws Exception {
    List<Map<String, Object>> dogs = detect(models.tool("detect",
        "{\"model\":\"yolov8_const.onnx\",\"classes\":[\"dog\"]}"), 64, 64);
    assertEquals(1, dogs.size(), TestModels.describe(dogs));
    assertBox(dogs.get(0), 6, 46, 8, 8, 0.6, 2, "dog");
    List<Map<String, Object>> one = detect(models.tool("detect",
        "{\"model\":\"yolov8_const.onnx\",\"max_detections\":1}"), 64, 64);
    assertEquals(List.of("person"), one.stream().map(x -> x.get("label")).toList());
  }

  @Test
  void batch1_model_runs_one_by_one_with_the_same_results() throws Exception {
    Tool tool = models.tool("detect", "{\"model\":\"yolov8_batch1.onnx\"}");
    List<Map<String, Object>> d = detect(tool, 128, 64);
    assertBox(d.get(0), 44, 12, 40, 40, 0.9, 0, "person");
    LoadedModel model = models.models.load("yolov8_batch1.onnx");
    assertTrue(model.info().batchFixedAtOne());
    assertEquals(1, model.maxBatch());
    LoadedModel dynamic = models.models.load("yolov8_const.onnx");
    assertEquals(dynamic.plan().maxBatch(), dynamic.maxBatch()); // as measured (ModelTunerTest)
  }

  @Test
  void two_nodes_naming_one_file_share_one_loaded_model() {
    LoadedModel a = models.models.load("yolov8_const.onnx");
    models.tool("detect", "{\"model\":\"yolov8_const.onnx\",\"confidence\":0.5}");
    models.tool("detect", "{\"model\":\"./yolov8_const.onnx\"}");
    assertSame(a, models.models.load("yolov8_const.onnx"));
    assertEquals(1, models.models.loaded().stream().filter(m -> m.name().equals("yolov8_const.onnx")).count());
  }
}
