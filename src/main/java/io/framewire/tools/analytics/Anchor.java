package io.framewire.tools.analytics;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The point of a track's box that lines and zones test: {@code bottom_center} (the default) is where
 * a person or a car touches the ground, so a line drawn on the floor counts feet, not heads.
 */
enum Anchor {
  BOTTOM_CENTER(0.5, 1),
  CENTER(0.5, 0.5),
  TOP_CENTER(0.5, 0),
  LEFT_CENTER(0, 0.5),
  RIGHT_CENTER(1, 0.5),
  TOP_LEFT(0, 0),
  TOP_RIGHT(1, 0),
  BOTTOM_LEFT(0, 1),
  BOTTOM_RIGHT(1, 1);

  /** The param values, in declaration order. */
  static final List<String> NAMES = Arrays.stream(values()).map(Anchor::paramName).toList();

  private final double fx;
  private final double fy;

  Anchor(double fx, double fy) {
    this.fx = fx;
    this.fy = fy;
  }

  String paramName() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Anchor of(String paramName) {
    return valueOf(paramName.toUpperCase(Locale.ROOT));
  }

  /** This anchor of a box, in the box's pixels. */
  Point of(TrackBox box) {
    return new Point(box.x() + fx * box.w(), box.y() + fy * box.h());
  }
}
