package io.framewire.tools.motion;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.ParamSpec;
import io.framewire.api.ParamValues;
import java.util.List;

/**
 * Validated {@code motion/detect} params, read through their schema ({@link #SPECS}), which also
 * gives the defaults and ranges listed by {@code GET /tools}.
 *
 * @param threshold luma difference (1–255) from the background that counts a pixel as changed
 * @param minArea smallest region reported, in original-frame pixels
 * @param alpha background learning rate per frame, (0, 1]: higher forgets faster
 */
record MotionParams(int threshold, int minArea, double alpha) {

  static final int DEFAULT_THRESHOLD = 25;
  static final int DEFAULT_MIN_AREA = 64;
  static final double DEFAULT_ALPHA = 0.05;

  static final List<ParamSpec> SPECS = List.of(
      ParamSpec.integer("threshold", "luma difference from the background that counts a pixel as changed")
          .range(1, 255).withDefault(DEFAULT_THRESHOLD),
      ParamSpec.integer("min_area", "smallest region reported, in original-frame pixels")
          .min(1).withDefault(DEFAULT_MIN_AREA),
      ParamSpec.number("alpha", "background learning rate per frame: higher forgets faster")
          .rangeAbove(0, 1).withDefault(DEFAULT_ALPHA));

  static MotionParams from(JsonNode params) {
    ParamValues values = ParamValues.read(SPECS, params);
    return new MotionParams(
        values.integer("threshold").intValue(), values.integer("min_area").intValue(), values.number("alpha"));
  }
}
