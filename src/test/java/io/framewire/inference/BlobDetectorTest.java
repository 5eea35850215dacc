package io.framewire.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewire.api.Tool;
import io.framewire.testing.TrackingScene;
import java.awt.Color;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code blob_det.onnx} (make_models.py), the test models' real detector, through {@code
 * onnx/detect} on rendered JPEG frames: one box per solid red (person) or green (car) rectangle, the
 * rectangle's own box within a pixel or two after the letterbox and JPEG, nothing for other colours.
 */
class BlobDetectorTest {

  static final Color RED = new Color(220, 30, 30);
  static final Color GREEN = new Color(30, 200, 30);
  static final Color BLUE = new Color(30, 30, 220);
  /** Letterbox, bilinear scaling and JPEG blur the edges: a box is right to ±2 px. */
  static final double TOLERANCE = 2;

  static TestModels models;
  static Tool detect;

  @BeforeAll
  static void start() {
    models = new TestModels();
    detect = models.tool("detect", "{\"model\": \"blob_det.onnx\"}");
  }

  @AfterAll
  static void stop() throws Exception {
    models.close();
  }

  /** The detections of frame 0 of {@code scene}, left to right. */
  static List<Map<String, Object>> detect(TrackingScene scene) throws Exception {
    Map<String, Object> input = Map.of("frame_index", 0L, "image_bytes", scene.jpeg(0));
    Map<String, Object> result = detect.applyAsync(input).toCompletableFuture().get(20, TimeUnit.SECONDS);
    return TestModels.list(result, "detections").stream()
        .sorted(Comparator.comparingDouble(d -> ((Number) d.get("x")).doubleValue())).toList();
  }

  static void assertBox(Map<String, Object> d, double x, double y, double w, double h, String label) {
    String where = d.toString();
    assertEquals(x, ((Number) d.get("x")).doubleValue(), TOLERANCE, where);
    assertEquals(y, ((Number) d.get("y")).doubleValue(), TOLERANCE, where);
    assertEquals(w, ((Number) d.get("w")).doubleValue(), TOLERANCE, where);
    assertEquals(h, ((Number) d.get("h")).doubleValue(), TOLERANCE, where);
    assertEquals(label, d.get("label"), where);
  }

  /** 320×240 is scaled by 0.8 into the 256×256 input, with 32 px of grey above and below. */
  @Test
  void red_and_green_rectangles_are_persons_and_cars_with_their_own_boxes() throws Exception {
    TrackingScene scene = TrackingScene.builder(320, 240, 1)
        .add(TrackingScene.object(1, "person").size(24, 48).at(0, 40, 30).colour(RED))
        .add(TrackingScene.object(2, "car").size(64, 40).at(0, 130, 150).colour(GREEN))
        .add(TrackingScene.object(3, "person").size(40, 40).at(0, 250, 20).colour(RED))
        .add(TrackingScene.object(4, "other").size(40, 40).at(0, 150, 40).colour(BLUE))
        .build();
    List<Map<String, Object>> d = detect(scene);
    assertEquals(3, d.size(), TestModels.describe(d)); // one box each, the blue one is nobody
    assertBox(d.get(0), 40, 30, 24, 48, "person");
    assertBox(d.get(1), 130, 150, 64, 40, "car");
    assertBox(d.get(2), 250, 20, 40, 40, "person");
  }

  /** A person and a car side by side (different classes do not disturb each other), in the frame's corners. */
  @Test
  void objects_touching_the_frame_edge_get_their_visible_part() throws Exception {
    TrackingScene scene = TrackingScene.builder(320, 240, 1)
        .add(TrackingScene.object(1, "person").size(30, 60).at(0, -10, 200).colour(RED)) // visible 20×40
        .add(TrackingScene.object(2, "car").size(50, 30).at(0, 20, 205).colour(GREEN))
        .add(TrackingScene.object(3, "car").size(60, 40).at(0, 280, -10).colour(GREEN)) // visible 40×30
        .build();
    List<Map<String, Object>> d = detect(scene);
    assertEquals(3, d.size(), TestModels.describe(d));
    assertBox(d.get(0), 0, 200, 20, 40, "person");
    assertBox(d.get(1), 20, 205, 50, 30, "car");
    assertBox(d.get(2), 280, 0, 40, 30, "car");
  }

  /** Scores are near 1 for a whole blob (the doc's confidence 0.1 and the tracker's 0.5 both keep it). */
  @Test
  void a_blob_moving_across_anchors_keeps_one_exact_box_and_a_high_score() throws Exception {
    for (int x = 0; x <= 48; x += 3) {
      TrackingScene scene = TrackingScene.builder(320, 240, 1)
          .add(TrackingScene.object(1, "person").size(24, 48).at(0, 100 + x, 60 + x).colour(RED))
          .build();
      List<Map<String, Object>> d = detect(scene);
      assertEquals(1, d.size(), "at +" + x + ": " + TestModels.describe(d));
      assertBox(d.get(0), 100 + x, 60 + x, 24, 48, "person");
      double score = ((Number) d.get(0).get("score")).doubleValue();
      assertEquals(0.78, score, 0.05, "at +" + x + ": " + d.get(0));
    }
  }
}
