package io.framewire.tools.motion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewire.testing.TestJpegs;
import io.framewire.api.Tool;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.api.image.DecodedFrame;
import io.framewire.tools.image.ImagePlugin;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MotionDetectorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int W = 640;
  private static final int H = 480;
  private static final int SIZE = 60;

  private final MotionPlugin plugin = new MotionPlugin();

  @Test
  void firstFrameHasNoMotion() throws Exception {
    Map<String, Object> motion = motion(detector().apply(square(100, 100)));
    assertEquals(List.of(), motion.get("regions"));
    assertEquals(0.0, motion.get("score"));
  }

  @Test
  void stillSceneHasNoMotion() throws Exception {
    Tool detector = detector();
    for (int i = 0; i < 5; i++) {
      Map<String, Object> motion = motion(detector.apply(square(100, 100)));
      assertEquals(List.of(), motion.get("regions"), "frame " + i);
      assertEquals(0.0, motion.get("score"), "frame " + i);
    }
  }

  @Test
  void movingSquareIsFoundAtItsNewPosition() throws Exception {
    Tool detector = detector();
    detector.apply(square(40, 200));
    for (int x = 100; x <= 460; x += 120) {
      Map<String, Object> motion = motion(detector.apply(square(x, 200)));
      List<Map<String, Object>> regions = regions(motion);
      int squareX = x;
      assertTrue(regions.stream().anyMatch(r -> overlapsSquare(r, squareX, 200)),
          "no region overlaps the square at x=" + x + ": " + regions);
      double score = (double) motion.get("score");
      assertTrue(score > 0 && score < 0.2, "score " + score);
      regions.forEach(MotionDetectorTest::assertInsideFrame);
    }
  }

  @Test
  void sessionsDoNotSeeEachOthersFrames() throws Exception {
    ToolRegistry registry = ToolRegistry.of(plugin);
    assertTrue(registry.isStateful("motion", "detect"));
    Tool sessionA = registry.create("motion", "detect", JSON.createObjectNode());
    Tool sessionB = registry.create("motion", "detect", JSON.createObjectNode());
    sessionA.apply(square(100, 100));
    sessionB.apply(square(400, 300));
    // Each session sees its own still scene: had they shared a background, both would see motion.
    assertEquals(List.of(), regions(motion(sessionA.apply(square(100, 100)))));
    assertEquals(List.of(), regions(motion(sessionB.apply(square(400, 300)))));
    assertFalse(regions(motion(sessionA.apply(square(400, 300)))).isEmpty());
  }

  @Test
  void frameSizeChangeResetsTheBackground() throws Exception {
    Tool detector = detector();
    detector.apply(square(100, 100));
    Map<String, Object> resized = motion(detector.apply(frame(TestJpegs.withSquare(320, 240, 10, 10, SIZE))));
    assertEquals(List.of(), resized.get("regions"));
    assertEquals(0.0, resized.get("score"));
    Map<String, Object> moved = motion(detector.apply(frame(TestJpegs.withSquare(320, 240, 200, 120, SIZE))));
    assertFalse(regions(moved).isEmpty());
    regions(moved).forEach(r -> assertTrue((int) r.get("x") + (int) r.get("w") <= 320, r.toString()));
  }

  @Test
  void readsTheSharedDecodedFrameInsteadOfDecodingAgain() throws Exception {
    Tool detector = detector();
    DecodedFrame shared = DecodedFrame.ofJpeg((byte[]) square(10, 10).get("image_bytes"), false);
    new ImagePlugin().create("info", JSON.createObjectNode()).apply(Map.of("frame_index", 0L, DecodedFrame.KEY, shared));
    // image_bytes is garbage: decoding it would throw, so passing means the shared frame was used.
    Map<String, Object> out =
        detector.apply(Map.of("frame_index", 0L, "image_bytes", new byte[] {0}, DecodedFrame.KEY, shared));
    assertEquals(0.0, motion(out).get("score"));
    assertEquals(1, shared.decodes());
  }

  @Test
  void minAreaFiltersSmallRegions() throws Exception {
    Tool detector = plugin.create("detect", params("{\"min_area\": 10000}"));
    detector.apply(square(40, 200));
    Map<String, Object> motion = motion(detector.apply(square(300, 200)));
    assertEquals(List.of(), motion.get("regions")); // a 60x60 square is 3600 px
    assertTrue((double) motion.get("score") > 0, "pixels still changed");
  }

  @Test
  void invalidParamsAreRefusedWithTheirName() {
    assertInvalid("{\"threshold\": 0}", "param 'threshold' must be in 1..255, got 0");
    assertInvalid("{\"threshold\": 300}", "param 'threshold' must be in 1..255, got 300");
    assertInvalid("{\"threshold\": \"high\"}", "param 'threshold' must be an integer, got \"high\"");
    assertInvalid("{\"threshold\": 2.5}", "param 'threshold' must be an integer, got 2.5");
    assertInvalid("{\"min_area\": -1}", "param 'min_area' must be >= 1, got -1");
    assertInvalid("{\"alpha\": 0}", "param 'alpha' must be in (0, 1], got 0");
    assertInvalid("{\"alpha\": 1.5}", "param 'alpha' must be in (0, 1], got 1.5");
    assertInvalid("{\"treshold\": 30, \"alpha\": 2}",
        "unknown param 'treshold' (did you mean 'threshold'?); param 'alpha' must be in (0, 1], got 2");
  }

  @Test
  void validParamsAreAccepted() {
    MotionParams p = MotionParams.from(params("{\"threshold\": 40, \"min_area\": 1, \"alpha\": 1}"));
    assertEquals(new MotionParams(40, 1, 1.0), p);
    assertEquals(new MotionParams(25, 64, 0.05), MotionParams.from(params("{}")));
  }

  private void assertInvalid(String json, String message) {
    var e = assertThrows(IllegalArgumentException.class, () -> plugin.create("detect", params(json)));
    assertEquals(message, e.getMessage());
  }

  private Tool detector() {
    return plugin.create("detect", JSON.createObjectNode());
  }

  private static ObjectNode params(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Map<String, Object> square(int x, int y) {
    return frame(TestJpegs.withSquare(W, H, x, y, SIZE));
  }

  private static Map<String, Object> frame(byte[] jpeg) {
    return Map.of("frame_index", 0L, "image_bytes", jpeg);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> motion(Map<String, Object> out) {
    return (Map<String, Object>) out.get("motion");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> regions(Map<String, Object> motion) {
    return (List<Map<String, Object>>) motion.get("regions");
  }

  private static boolean overlapsSquare(Map<String, Object> r, int sx, int sy) {
    int x = (int) r.get("x"), y = (int) r.get("y"), w = (int) r.get("w"), h = (int) r.get("h");
    return x < sx + SIZE && sx < x + w && y < sy + SIZE && sy < y + h;
  }

  private static void assertInsideFrame(Map<String, Object> r) {
    int x = (int) r.get("x"), y = (int) r.get("y"), w = (int) r.get("w"), h = (int) r.get("h");
    assertTrue(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= W && y + h <= H, r.toString());
  }
}
