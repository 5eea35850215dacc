package io.framewire.tools.codes;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.PlanarYUVLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.ResultPoint;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.GenericMultipleBarcodeReader;
import io.framewire.api.Tool;
import io.framewire.api.image.GrayImage;
import io.framewire.api.image.JpegDecoder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code codes/scan}. Thread-safe: the hints map is immutable after construction and ZXing readers
 * (which keep per-decode state) are created per call.
 */
final class CodeScanner implements Tool {

  private final Map<DecodeHintType, Object> hints;

  CodeScanner(boolean tryHarder, Set<BarcodeFormat> formats) {
    Map<DecodeHintType, Object> map = new EnumMap<>(DecodeHintType.class);
    map.put(DecodeHintType.POSSIBLE_FORMATS, List.copyOf(formats));
    if (tryHarder) {
      map.put(DecodeHintType.TRY_HARDER, Boolean.TRUE);
    }
    this.hints = Map.copyOf(map);
  }

  @Override
  public Map<String, Object> apply(Map<String, Object> input) {
    GrayImage gray = JpegDecoder.grayOf(input);
    List<Map<String, Object>> codes = new ArrayList<>();
    for (Result result : scan(gray)) {
      Map<String, Object> code = new LinkedHashMap<>();
      code.put("format", result.getBarcodeFormat().name());
      code.put("text", result.getText());
      code.put("box", box(result, gray));
      codes.add(code);
    }
    return Map.of("codes", codes);
  }

  private Result[] scan(GrayImage gray) {
    // A Y plane is exactly a GrayImage: ZXing reads our array in place, no copy.
    var source = new PlanarYUVLuminanceSource(
        gray.luma(), gray.width(), gray.height(), 0, 0, gray.width(), gray.height(), false);
    var reader = new GenericMultipleBarcodeReader(new MultiFormatReader());
    try {
      return reader.decodeMultiple(new BinaryBitmap(new HybridBinarizer(source)), hints);
    } catch (NotFoundException none) {
      return new Result[0];
    }
  }

  /**
   * Axis-aligned box in frame pixels, clamped to the frame: the whole symbol for QR codes (see
   * {@link QrSymbolBox}); otherwise the bounding box of ZXing's result points, which for 1D
   * barcodes are the two ends of the scan line (so height 1), and for other 2D formats the
   * symbol's detected corners or finder centres.
   */
  private static Map<String, Object> box(Result result, GrayImage gray) {
    float[] qr = QrSymbolBox.of(result);
    if (qr != null) {
      return clampedBox(qr[0], qr[1], qr[2], qr[3], gray);
    }
    float minX = Float.MAX_VALUE, minY = Float.MAX_VALUE, maxX = -Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
    int counted = 0;
    ResultPoint[] points = result.getResultPoints();
    for (ResultPoint p : points == null ? new ResultPoint[0] : points) {
      if (p == null) {
        continue;
      }
      minX = Math.min(minX, p.getX());
      minY = Math.min(minY, p.getY());
      maxX = Math.max(maxX, p.getX());
      maxY = Math.max(maxY, p.getY());
      counted++;
    }
    if (counted == 0) { // no geometry reported: the code is somewhere in the frame
      return clampedBox(0, 0, gray.width() - 1, gray.height() - 1, gray);
    }
    return clampedBox(minX, minY, maxX, maxY, gray);
  }

  private static Map<String, Object> clampedBox(float minX, float minY, float maxX, float maxY, GrayImage gray) {
    int x = clamp(Math.round(minX), gray.width() - 1);
    int y = clamp(Math.round(minY), gray.height() - 1);
    Map<String, Object> box = new LinkedHashMap<>();
    box.put("x", x);
    box.put("y", y);
    box.put("w", Math.max(1, clamp(Math.round(maxX), gray.width() - 1) - x + 1));
    box.put("h", Math.max(1, clamp(Math.round(maxY), gray.height() - 1) - y + 1));
    return box;
  }

  private static int clamp(int v, int max) {
    return Math.max(0, Math.min(max, v));
  }
}
