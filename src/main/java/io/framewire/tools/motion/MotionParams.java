package io.framewire.tools.motion;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Validated {@code motion/detect} params.
 *
 * @param threshold luma difference (1–255) from the background that counts a pixel as changed
 * @param minArea smallest region reported, in original-frame pixels
 * @param alpha background learning rate per frame, (0, 1]: higher forgets faster
 */
record MotionParams(int threshold, int minArea, double alpha) {

  static final int DEFAULT_THRESHOLD = 25;
  static final int DEFAULT_MIN_AREA = 64;
  static final double DEFAULT_ALPHA = 0.05;

  static MotionParams from(JsonNode params) {
    return new MotionParams(
        intIn(params, "threshold", DEFAULT_THRESHOLD, 1, 255),
        intIn(params, "min_area", DEFAULT_MIN_AREA, 1, Integer.MAX_VALUE),
        alpha(params));
  }

  private static int intIn(JsonNode params, String field, int fallback, int min, int max) {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
      String range = max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max;
      throw new IllegalArgumentException("params." + field + " must be an integer " + range + ", got " + value);
    }
    return value.intValue();
  }

  private static double alpha(JsonNode params) {
    JsonNode value = params.get("alpha");
    if (value == null || value.isNull()) {
      return DEFAULT_ALPHA;
    }
    if (!value.isNumber() || !(value.doubleValue() > 0) || value.doubleValue() > 1) {
      throw new IllegalArgumentException("params.alpha must be a number in (0, 1], got " + value);
    }
    return value.doubleValue();
  }
}
