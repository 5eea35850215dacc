package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestJpegs;
import java.awt.Color;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each validation rule alone, in the order the validator applies them; then the header reader. */
class FrameValidatorTest {

  private static final int MAX_BYTES = 64 * 1024;
  private static final long MAX_PIXELS = 1920L * 1080;

  private final FrameValidator validator = new FrameValidator(MAX_BYTES, MAX_PIXELS);

  private StreamError refused(long frameIndex, byte[] bytes) {
    Optional<StreamError> error = validator.validate(frameIndex, bytes);
    assertTrue(error.isPresent(), "expected the frame to be refused");
    StreamError e = error.get();
    assertFalse(e.detail().contains("Exception"), () -> "detail leaks an exception: " + e.detail());
    assertFalse(e.detail().contains("io.framewire"), () -> "detail leaks a class name: " + e.detail());
    assertFalse(e.detail().contains("java."), () -> "detail leaks a class name: " + e.detail());
    return e;
  }

  @Test
  void emptyMessageIsAnInvalidFrame() {
    StreamError e = refused(0, new byte[0]);
    assertEquals(StreamError.Code.INVALID_FRAME, e.code());
    assertEquals("frame 0: empty message", e.detail());
  }

  @Test
  void missingStartMarkerIsAnInvalidFrame() {
    byte[] jpeg = TestJpegs.solid(32, 32, Color.RED);
    byte[] noSoi = Arrays.copyOfRange(jpeg, 2, jpeg.length); // still ends with FF D9
    StreamError e = refused(7, noSoi);
    assertEquals(StreamError.Code.INVALID_FRAME, e.code());
    assertTrue(e.detail().startsWith("frame 7: "), e.detail());
    assertTrue(e.detail().contains("FF D8"), e.detail());
  }

  @Test
  void tooShortToBeAJpegIsAnInvalidFrame() {
    StreamError e = refused(1, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF});
    assertEquals(StreamError.Code.INVALID_FRAME, e.code());
  }

  @Test
  void truncatedJpegWithoutEndMarkerIsAnInvalidFrame() {
    byte[] jpeg = TestJpegs.noise(64, 64, 3);
    byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
    StreamError e = refused(12, truncated);
    assertEquals(StreamError.Code.INVALID_FRAME, e.code());
    assertTrue(e.detail().startsWith("frame 12: "), e.detail());
    assertTrue(e.detail().contains("FF D9"), e.detail());
  }

  @Test
  void frameOverTheByteLimitIsTooLargeWhateverItHolds() {
    byte[] big = TestJpegs.noise(400, 400, 1);
    assertTrue(big.length > MAX_BYTES, "test frame must exceed the limit, is " + big.length);
    StreamError e = refused(0, big);
    assertEquals(StreamError.Code.FRAME_TOO_LARGE, e.code());
    assertTrue(e.detail().contains(String.valueOf(big.length)), e.detail());
    assertTrue(e.detail().contains(String.valueOf(MAX_BYTES)), e.detail());

    byte[] garbage = new byte[MAX_BYTES + 1]; // not even a JPEG: the size is checked first
    assertEquals(StreamError.Code.FRAME_TOO_LARGE, refused(0, garbage).code());
  }

  @Test
  void frameExactlyAtTheByteLimitIsNotRefusedForItsSize() {
    byte[] jpeg = TestJpegs.solid(16, 16, Color.BLUE);
    FrameValidator exact = new FrameValidator(jpeg.length, MAX_PIXELS);
    assertEquals(Optional.empty(), exact.validate(0, jpeg));
    assertEquals(StreamError.Code.FRAME_TOO_LARGE, new FrameValidator(jpeg.length - 1, MAX_PIXELS)
        .validate(0, jpeg).orElseThrow().code());
  }

  @Test
  void headerDeclaringAHugeImageIsTooLargeBeforeAnyDecoding() {
    byte[] small = TestJpegs.solid(16, 16, Color.GREEN);
    byte[] bomb = TestJpegs.withDeclaredSize(small, 60000, 60000);
    assertTrue(bomb.length < 2000, "a few bytes declare 3.6 gigapixels");
    StreamError e = refused(5, bomb);
    assertEquals(StreamError.Code.FRAME_TOO_LARGE, e.code());
    assertTrue(e.detail().contains("frame 5"), e.detail());
    assertTrue(e.detail().contains("60000x60000"), e.detail());
  }

  @Test
  void declaredSizeAtThePixelLimitPasses() {
    byte[] declared = TestJpegs.withDeclaredSize(TestJpegs.solid(16, 16, Color.GREEN), 1920, 1080);
    assertEquals(Optional.empty(), validator.validate(0, declared));
    byte[] onePixelMore = TestJpegs.withDeclaredSize(TestJpegs.solid(16, 16, Color.GREEN), 1921, 1080);
    assertEquals(StreamError.Code.FRAME_TOO_LARGE, refused(0, onePixelMore).code());
  }

  @Test
  void randomBytesBetweenTheMarkersAreAnInvalidFrame() {
    Random random = new Random(42);
    for (int round = 0; round < 50; round++) {
      byte[] bytes = new byte[100 + random.nextInt(900)];
      random.nextBytes(bytes);
      bytes[0] = (byte) 0xFF;
      bytes[1] = (byte) 0xD8;
      bytes[bytes.length - 2] = (byte) 0xFF;
      bytes[bytes.length - 1] = (byte) 0xD9;
      StreamError e = refused(round, bytes);
      assertEquals(StreamError.Code.INVALID_FRAME, e.code(), e.detail());
      assertTrue(e.detail().startsWith("frame " + round + ": "), e.detail());
    }
  }

  @Test
  void wellFormedMarkersWithoutAFrameHeaderAreAnInvalidFrame() {
    // SOI, an APP0 segment of 2 payload bytes, EOI: structurally fine, but no SOFn.
    byte[] noHeader = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0x00, 0x04, 0x01, 0x02,
        (byte) 0xFF, (byte) 0xD9};
    StreamError e = refused(3, noHeader);
    assertEquals(StreamError.Code.INVALID_FRAME, e.code());
    assertEquals("frame 3: no frame header before the image data", e.detail());
  }

  @Test
  void segmentLengthRunningPastTheEndIsAnInvalidFrame() {
    byte[] lying = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0x7F, 0x00, 0x01, 0x02,
        (byte) 0xFF, (byte) 0xD9};
    StreamError e = refused(0, lying);
    assertEquals(StreamError.Code.INVALID_FRAME, e.code());
    assertTrue(e.detail().contains("truncated marker segment"), e.detail());
  }

  @ParameterizedTest
  @CsvSource({"1,1", "16,16", "64,48", "640,480", "1280,720", "1920,1080"})
  void validJpegsOfSeveralSizesAreAccepted(int width, int height) {
    byte[] jpeg = TestJpegs.solid(width, height, Color.ORANGE);
    assertEquals(Optional.empty(), validator.validate(0, jpeg));
  }

  @Test
  void cameraLikeFrameIsAccepted() {
    FrameValidator defaults = new FrameValidator(5 * 1024 * 1024, 8_294_400);
    assertEquals(Optional.empty(), defaults.validate(0, TestJpegs.scene(1280, 720, 9)));
  }

  // --- JpegHeader ---

  @Test
  void headerReaderReadsBaselineSof0Dimensions() throws Exception {
    byte[] jpeg = TestJpegs.solid(123, 45, Color.MAGENTA);
    assertTrue(hasMarker(jpeg, 0xC0), "ImageIO writes baseline SOF0");
    assertEquals(new JpegHeader.Dimensions(123, 45), JpegHeader.dimensions(jpeg));
    assertEquals(123L * 45, JpegHeader.dimensions(jpeg).pixels());
  }

  @Test
  void headerReaderReadsProgressiveSof2Dimensions() throws Exception {
    byte[] jpeg = TestJpegs.progressive(200, 75);
    assertTrue(hasMarker(jpeg, 0xC2), "progressive JPEG has a SOF2 header");
    assertFalse(hasMarker(jpeg, 0xC0), "and no SOF0");
    assertEquals(new JpegHeader.Dimensions(200, 75), JpegHeader.dimensions(jpeg));
    assertEquals(Optional.empty(), validator.validate(0, jpeg));
  }

  @Test
  void headerReaderFollowsARewrittenProgressiveHeader() throws Exception {
    byte[] bomb = TestJpegs.withDeclaredSize(TestJpegs.progressive(40, 30), 60000, 60000);
    assertEquals(new JpegHeader.Dimensions(60000, 60000), JpegHeader.dimensions(bomb));
    assertEquals(3_600_000_000L, JpegHeader.dimensions(bomb).pixels()); // no int overflow
    assertEquals(StreamError.Code.FRAME_TOO_LARGE, refused(0, bomb).code());
  }

  @Test
  void headerReaderRejectsAZeroSizedImage() {
    byte[] jpeg = TestJpegs.solid(8, 8, Color.BLACK);
    int sof = indexOfMarker(jpeg, 0xC0);
    jpeg[sof + 5] = 0; // height high byte
    jpeg[sof + 6] = 0; // height low byte
    JpegHeader.MalformedJpegException e =
        assertThrows(JpegHeader.MalformedJpegException.class, () -> JpegHeader.dimensions(jpeg));
    assertEquals("frame header declares an empty image", e.getMessage());
    assertEquals(StreamError.Code.INVALID_FRAME, refused(0, jpeg).code());
  }

  private static boolean hasMarker(byte[] jpeg, int marker) {
    return indexOfMarker(jpeg, marker) >= 0;
  }

  /** Offset of a marker segment before the scan data, walking the segments; -1 if absent. */
  private static int indexOfMarker(byte[] jpeg, int marker) {
    int i = 2;
    while (i + 4 <= jpeg.length && (jpeg[i] & 0xFF) == 0xFF) {
      int m = jpeg[i + 1] & 0xFF;
      if (m == marker) {
        return i;
      }
      if (m == 0xDA) {
        return -1;
      }
      i += 2 + ((jpeg[i + 2] & 0xFF) << 8 | (jpeg[i + 3] & 0xFF));
    }
    return -1;
  }
}
