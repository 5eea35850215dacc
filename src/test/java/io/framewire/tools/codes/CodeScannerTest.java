package io.framewire.tools.codes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewire.testing.TestJpegs;
import io.framewire.api.Tool;
import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.InvalidImageException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodeScannerTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final CodesPlugin plugin = new CodesPlugin();

  @Test
  void decodesAGeneratedQrCodeWithABoxOnTheSymbol() throws Exception {
    int size = 300;
    List<Map<String, Object>> codes = codes(scanner("{}").apply(frame(TestJpegs.qrCode("framewire:42", size))));
    assertEquals(1, codes.size(), codes.toString());
    Map<String, Object> code = codes.get(0);
    assertEquals("QR_CODE", code.get("format"));
    assertEquals("framewire:42", code.get("text"));
    @SuppressWarnings("unchecked")
    Map<String, Object> box = (Map<String, Object>) code.get("box");
    int x = (int) box.get("x"), y = (int) box.get("y"), w = (int) box.get("w"), h = (int) box.get("h");
    // QRCodeWriter draws a version-1 symbol (21 modules) at 10 px per module, centred with the
    // quiet zone around it: the symbol is 210 px square at (45, 45).
    assertEquals(45, x, 3);
    assertEquals(45, y, 3);
    assertEquals(210, w, 4);
    assertEquals(210, h, 4);
  }

  @Test
  void tryHarderAlsoDecodes() throws Exception {
    var codes = codes(scanner("{\"try_harder\": true}").apply(frame(TestJpegs.qrCode("hard", 200))));
    assertEquals("hard", codes.get(0).get("text"));
  }

  @Test
  void noiseHasNoCodes() throws Exception {
    assertEquals(List.of(), codes(scanner("{}").apply(frame(TestJpegs.noise(320, 240, 11)))));
    assertEquals(List.of(), codes(scanner("{\"try_harder\": true}").apply(frame(TestJpegs.noise(320, 240, 12)))));
  }

  @Test
  void formatsRestrictWhatIsReported() throws Exception {
    Tool eanOnly = scanner("{\"formats\": [\"EAN_13\"]}");
    assertEquals(List.of(), codes(eanOnly.apply(frame(TestJpegs.qrCode("not for you", 200)))));
  }

  @Test
  void readsTheSharedDecodedFrameWithoutDecodingAgain() throws Exception {
    DecodedFrame shared = DecodedFrame.ofJpeg(TestJpegs.qrCode("shared", 200), false);
    shared.gray();
    var out = scanner("{}").apply(Map.of("frame_index", 0L, "image_bytes", new byte[] {0}, DecodedFrame.KEY, shared));
    assertEquals("shared", codes(out).get(0).get("text"));
    assertEquals(1, shared.decodes());
  }

  @Test
  void corruptFrameFailsWithAShortMessage() {
    var e = assertThrows(InvalidImageException.class, () -> scanner("{}").apply(frame("nope".getBytes())));
    assertEquals("not a JPEG (no SOI marker)", e.getMessage());
  }

  @Test
  void invalidParamsAreRefused() {
    assertEquals("param 'try_harder' must be a boolean (true or false), got \"yes\"",
        assertThrows(IllegalArgumentException.class, () -> scanner("{\"try_harder\": \"yes\"}")).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> scanner("{\"formats\": [\"QR\"]}"))
        .getMessage().startsWith("param 'formats' has unknown value 'QR' (allowed: AZTEC, CODABAR,"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> scanner("{\"formats\": [\"QR_COD\"]}"))
        .getMessage().startsWith("param 'formats' has unknown value 'QR_COD' (did you mean 'QR_CODE'? allowed: "));
    assertThrows(IllegalArgumentException.class, () -> scanner("{\"formats\": []}"));
  }

  private Tool scanner(String params) {
    try {
      return plugin.create("scan", (ObjectNode) JSON.readTree(params));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Map<String, Object> frame(byte[] jpeg) {
    return Map.of("frame_index", 0L, "image_bytes", jpeg);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> codes(Map<String, Object> out) {
    return (List<Map<String, Object>>) out.get("codes");
  }
}
