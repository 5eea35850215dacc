package io.framewire.tools.analytics;

/** A point in frame pixels (y down, as in the image). */
record Point(double x, double y) {

  Point minus(Point o) {
    return new Point(x - o.x, y - o.y);
  }

  double dot(Point o) {
    return x * o.x + y * o.y;
  }

  /** The z of the 3D cross product: positive when {@code o} is clockwise of this on screen (y down). */
  double cross(Point o) {
    return x * o.y - y * o.x;
  }

  double length() {
    return Math.hypot(x, y);
  }

  Point scaled(double sx, double sy) {
    return new Point(x * sx, y * sy);
  }
}
