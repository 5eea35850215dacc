package com.example.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.api.Tool;
import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.RgbImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tool on in-memory frames, through the plugin as the server creates it. */
class QualityGateTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A width x height frame, checkerboard of 8-px squares at levels lo/hi (lo == hi: flat). */
  private static DecodedFrame frame(int width, int height, int lo, int hi) {
    byte[] rgb = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int v = ((x / 8 + y / 8) % 2 == 0) ? lo : hi;
        int i = (y * width + x) * 3;
        rgb[i] = rgb[i + 1] = rgb[i + 2] = (byte) v;
      }
    }
    return DecodedFrame.ofRgb(new RgbImage(width, height, rgb));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> quality(Tool tool, DecodedFrame frame) throws Exception {
    return (Map<String, Object>) tool.apply(Map.of("frame_index", 0L, DecodedFrame.KEY, frame)).get("quality");
  }

  @Test
  void aBrightDetailedFrameIsOk() throws Exception {
    try (Tool gate = new QualityPlugin().create("gate", JSON.createObjectNode())) {
      Map<String, Object> q = quality(gate, frame(64, 48, 30, 220));
      assertEquals(true, q.get("ok"), q.toString());
      assertEquals(List.of(), q.get("reasons"));
      assertEquals(125.0, (double) q.get("brightness"), 1.0);
    }
  }

  @Test
  void aDarkFlatFrameIsTooDarkAndTooBlurry() throws Exception {
    try (Tool gate = new QualityPlugin().create("gate", JSON.createObjectNode())) {
      Map<String, Object> q = quality(gate, frame(64, 48, 10, 10));
      assertEquals(false, q.get("ok"));
      assertEquals(List.of("too_dark", "too_blurry"), q.get("reasons"));
      assertEquals(0.0, (double) q.get("sharpness"));
    }
  }

  @Test
  void thresholdsComeFromParams() throws Exception {
    // A bright flat frame: fine for brightness, blurry unless min_sharpness is 0.
    try (Tool lenient = new QualityPlugin().create("gate", JSON.readTree("{\"min_sharpness\": 0}"))) {
      assertEquals(true, quality(lenient, frame(32, 32, 200, 200)).get("ok"));
    }
    try (Tool strict = new QualityPlugin().create("gate", JSON.readTree("{\"min_brightness\": 250}"))) {
      Map<String, Object> q = quality(strict, frame(32, 32, 30, 220));
      assertEquals(List.of("too_dark"), q.get("reasons"));
    }
  }

  @Test
  void badParamsAreRefusedWithTheirNames() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new QualityPlugin().create("gate", JSON.readTree("{\"min_brightnes\": 40, \"step\": 0}")));
    assertTrue(e.getMessage().contains("min_brightnes") && e.getMessage().contains("step"), e.getMessage());
  }
}
