package io.framewire.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DetectionTest {

  @Test
  void toMapHasTheKeysTheOverlayDraws() throws Exception {
    Map<String, Object> m = new Detection(10, 20, 30.5, 40, 0.87, 3, "cat").toMap();
    assertEquals(List.of("x", "y", "w", "h", "score", "class_id", "label"), List.copyOf(m.keySet()));
    // The same JSON src/test/js/detection.test.mjs feeds to the overlay.
    String fixture = new String(DetectionTest.class.getResourceAsStream("/fixtures/detection.json").readAllBytes(),
        java.nio.charset.StandardCharsets.UTF_8).trim();
    assertEquals(fixture, new ObjectMapper().writeValueAsString(m));
  }

  @Test
  void badBoxesAndScoresAreRefusedAndANullLabelIsEmpty() {
    assertThrows(IllegalArgumentException.class, () -> new Detection(0, 0, -1, 1, 0.5, 0, "x"));
    assertThrows(IllegalArgumentException.class, () -> new Detection(0, 0, 1, 1, 1.5, 0, "x"));
    assertThrows(IllegalArgumentException.class, () -> new Detection(Double.NaN, 0, 1, 1, 0.5, 0, "x"));
    assertEquals("", new Detection(0, 0, 1, 1, 0.5, -1, null).label());
  }

  @Test
  void fromMapReadsWhatToMapWritesAndDefaultsTheOptionalFields() {
    Detection box = new Detection(1.5, 2, 30, 40, 0.75, 3, "dog");
    assertEquals(box, Detection.fromMap(box.toMap()));
    assertEquals(new Detection(1, 2, 3, 4, 1.0, -1, ""), Detection.fromMap(Map.of("x", 1, "y", 2, "w", 3, "h", 4)));
    assertEquals("cat", box.withLabel("cat").label());
    var missing = assertThrows(IllegalArgumentException.class, () -> Detection.fromMap(Map.of("x", 1, "y", 2, "w", 3)));
    assertEquals("box field 'h' must be a number, got null", missing.getMessage());
    var text = assertThrows(IllegalArgumentException.class,
        () -> Detection.fromMap(Map.of("x", 1, "y", 2, "w", 3, "h", 4, "score", "high")));
    assertEquals("box field 'score' must be a number, got high", text.getMessage());
  }
}
