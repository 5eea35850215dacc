package io.framewire.tools.image;

import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.GrayImage;
import io.framewire.api.image.InvalidImageException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.framewire.testing.TestJpegs;
import io.framewire.api.Tool;
import java.awt.Color;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImagePluginTest {

  private final Tool info = new ImagePlugin().create("info", JsonNodeFactory.instance.objectNode());

  @Test
  void reportsSizeAndLuminanceOfSolidFrames() throws Exception {
    Map<String, Object> black = info.apply(frame(TestJpegs.solid(320, 240, Color.BLACK)));
    assertEquals(320, black.get("width"));
    assertEquals(240, black.get("height"));
    assertEquals(0.0, (double) black.get("mean_luminance"), 1.0);

    Map<String, Object> white = info.apply(frame(TestJpegs.solid(200, 100, Color.WHITE)));
    assertEquals(255.0, (double) white.get("mean_luminance"), 1.0);

    // BT.601: 0.299*100 + 0.587*150 + 0.114*200 = 140.75
    Map<String, Object> blue = info.apply(frame(TestJpegs.solid(64, 64, new Color(100, 150, 200))));
    assertEquals(140.75, (double) blue.get("mean_luminance"), 1.5);
  }

  @Test
  void meanLuminanceHasTwoDecimals() throws Exception {
    double mean = (double) info.apply(frame(TestJpegs.scene(160, 120, 1))).get("mean_luminance");
    assertEquals(mean, Math.round(mean * 100) / 100.0, 0.0);
  }

  @Test
  void readsTheSharedDecodedFrameInsteadOfDecodingAgain() throws Exception {
    DecodedFrame shared = DecodedFrame.ofJpeg(TestJpegs.solid(32, 16, Color.GRAY), false);
    GrayImage gray = shared.gray();
    // image_bytes is garbage: decoding it would throw, so passing means the shared frame was used.
    Map<String, Object> out = info.apply(
        Map.of("frame_index", 2L, "image_bytes", new byte[] {1, 2}, DecodedFrame.KEY, shared));
    assertEquals(Set.of("width", "height", "mean_luminance"), out.keySet());
    assertEquals(32, out.get("width"));
    assertEquals(16, out.get("height"));
    assertSame(gray, shared.gray());
    assertEquals(1, shared.decodes());
  }

  @Test
  void corruptFrameFailsWithAShortMessage() {
    var e = assertThrows(InvalidImageException.class, () -> info.apply(frame(new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0, 0})));
    assertTrue(e.getMessage().startsWith("corrupt JPEG"), e.getMessage());
  }

  @Test
  void unknownToolIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ImagePlugin().create("nope", JsonNodeFactory.instance.objectNode()));
  }

  static Map<String, Object> frame(byte[] jpeg) {
    return Map.of("frame_index", 0L, "image_bytes", jpeg);
  }
}
