package io.framewire.tools.codes;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;
import com.google.zxing.ResultPoint;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.decoder.Version;

/**
 * The outline of a QR symbol. ZXing reports the centres of the three finder patterns, which sit 3.5
 * modules inside the symbol's corners; to push them out we need the module size, i.e. the symbol's
 * version, which follows from the number of data codewords and the error-correction level.
 */
final class QrSymbolBox {

  private QrSymbolBox() {}

  /** Corners {minX, minY, maxX, maxY}, or null if this is not a QR result we can measure. */
  static float[] of(Result result) {
    ResultPoint[] p = result.getResultPoints();
    if (result.getBarcodeFormat() != BarcodeFormat.QR_CODE || p == null || p.length < 3
        || p[0] == null || p[1] == null || p[2] == null) {
      return null;
    }
    Integer dimension = dimension(result);
    if (dimension == null) {
      return null;
    }
    ResultPoint bottomLeft = p[0], topLeft = p[1], topRight = p[2]; // ZXing's order
    float across = ResultPoint.distance(topLeft, topRight);
    float down = ResultPoint.distance(topLeft, bottomLeft);
    if (across == 0 || down == 0) {
      return null;
    }
    float module = (across + down) / 2 / (dimension - 7); // finder centres are 3.5 modules from each edge
    float reach = 3.5f * module;
    float ux = (topRight.getX() - topLeft.getX()) / across, uy = (topRight.getY() - topLeft.getY()) / across;
    float vx = (bottomLeft.getX() - topLeft.getX()) / down, vy = (bottomLeft.getY() - topLeft.getY()) / down;
    float[][] corners = {
      {topLeft.getX() - reach * (ux + vx), topLeft.getY() - reach * (uy + vy)},
      {topRight.getX() + reach * (ux - vx), topRight.getY() + reach * (uy - vy)},
      {bottomLeft.getX() + reach * (vx - ux), bottomLeft.getY() + reach * (vy - uy)},
      {topRight.getX() + bottomLeft.getX() - topLeft.getX() + reach * (ux + vx),
        topRight.getY() + bottomLeft.getY() - topLeft.getY() + reach * (uy + vy)},
    };
    float[] box = {Float.MAX_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE, -Float.MAX_VALUE};
    for (float[] c : corners) {
      box[0] = Math.min(box[0], c[0]);
      box[1] = Math.min(box[1], c[1]);
      box[2] = Math.max(box[2], c[0]);
      box[3] = Math.max(box[3], c[1]);
    }
    return box;
  }

  /** Modules per side, from the version whose data capacity equals the decoded codeword count. */
  private static Integer dimension(Result result) {
    Object level = result.getResultMetadata() == null ? null
        : result.getResultMetadata().get(ResultMetadataType.ERROR_CORRECTION_LEVEL);
    if (result.getRawBytes() == null || !(level instanceof String name)) {
      return null;
    }
    ErrorCorrectionLevel ecLevel;
    try {
      ecLevel = ErrorCorrectionLevel.valueOf(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
    for (int v = 1; v <= 40; v++) {
      Version version = Version.getVersionForNumber(v);
      int dataCodewords = version.getTotalCodewords() - version.getECBlocksForLevel(ecLevel).getTotalECCodewords();
      if (dataCodewords == result.getRawBytes().length) {
        return version.getDimensionForVersion();
      }
    }
    return null;
  }
}
