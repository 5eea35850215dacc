package io.framewire.tools.analytics;

import java.util.List;

/** Plane geometry in frame pixels, y down. */
final class Geometry {

  private Geometry() {}

  /**
   * Signed distance of {@code p} from the infinite line through {@code a} and {@code b}: positive on
   * the right of a→b as seen in the image (y down), negative on its left.
   */
  static double signedDistance(Point a, Point b, Point p) {
    Point ab = b.minus(a);
    return ab.cross(p.minus(a)) / ab.length();
  }

  /**
   * Where the move {@code p0 → p1} meets the line through a and b, as a fraction of the segment a→b
   * (0 at a, 1 at b; the crossing is within the segment's extent when in [0, 1]), or NaN when the
   * move does not reach the line. {@code d0} and {@code d1} are the two points' signed distances.
   */
  static double crossingAlong(Point a, Point b, Point p0, double d0, Point p1, double d1) {
    if (d0 == 0 && d1 == 0 || d0 * d1 > 0) {
      return Double.NaN;
    }
    double t = d0 / (d0 - d1);
    Point x = new Point(p0.x() + t * (p1.x() - p0.x()), p0.y() + t * (p1.y() - p0.y()));
    Point ab = b.minus(a);
    return x.minus(a).dot(ab) / ab.dot(ab);
  }

  /** Whether {@code p} is inside the polygon (even-odd rule: crossings of a ray to the right). */
  static boolean contains(List<Point> polygon, Point p) {
    boolean inside = false;
    for (int i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
      Point a = polygon.get(i);
      Point b = polygon.get(j);
      if ((a.y() > p.y()) != (b.y() > p.y())) {
        double x = a.x() + (p.y() - a.y()) * (b.x() - a.x()) / (b.y() - a.y());
        if (p.x() < x) {
          inside = !inside;
        }
      }
    }
    return inside;
  }

  /** Distance from {@code p} to the polygon's nearest edge. */
  static double distanceToEdge(List<Point> polygon, Point p) {
    double best = Double.POSITIVE_INFINITY;
    for (int i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
      best = Math.min(best, distanceToSegment(polygon.get(j), polygon.get(i), p));
    }
    return best;
  }

  static double distanceToSegment(Point a, Point b, Point p) {
    Point ab = b.minus(a);
    double len2 = ab.dot(ab);
    double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, p.minus(a).dot(ab) / len2));
    return Math.hypot(p.x() - (a.x() + t * ab.x()), p.y() - (a.y() + t * ab.y()));
  }

  /** Signed area (shoelace); 0 when the points are all on one line. */
  static double area(List<Point> polygon) {
    double sum = 0;
    for (int i = 0, j = polygon.size() - 1; i < polygon.size(); j = i++) {
      sum += polygon.get(j).cross(polygon.get(i));
    }
    return sum / 2;
  }
}
