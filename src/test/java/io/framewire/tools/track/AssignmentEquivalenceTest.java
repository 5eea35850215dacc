package io.framewire.tools.track;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.Detection;
import io.framewire.testing.Hungarian;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link Assignment} (solved per connected component of gate-passing pairs) against the whole-matrix
 * solve it replaced ({@link FullMatrixAssignment}) on seeded random cases: the same matching, and a
 * total equal to the optimum found independently by the testkit's {@link Hungarian} on the extended
 * matrix. Costs are random reals, so the optimum is unique (a tie would let two correct solvers
 * differ). {@link Overlaps} against testing every pair.
 */
class AssignmentEquivalenceTest {

  @Test
  void sameMatchingAsTheFullMatrixOnRandomMatrices() {
    Random random = new Random(21);
    int matched = 0;
    for (int n = 0; n < 3000; n++) {
      int rows = random.nextInt(13);
      int cols = random.nextInt(13);
      double density = random.nextDouble(); // share of pairs below the gate: sparse to dense
      double maxCost = 0.2 + 0.8 * random.nextDouble();
      double[][] cost = new double[rows][cols];
      for (double[] row : cost) {
        for (int j = 0; j < cols; j++) {
          double r = random.nextDouble();
          row[j] = r < density ? maxCost * random.nextDouble()
              : r < (1 + density) / 2 ? Double.NaN : maxCost + random.nextDouble();
        }
      }
      matched += assertSameAsFullMatrix(cost, maxCost, "case " + n);
    }
    assertTrue(matched > 10_000, matched + " pairs matched in all");
  }

  @Test
  void sameMatchingAsTheFullMatrixOnBoxesAsTheTrackerScoresThem() {
    // Tracks and detections as ByteTracker sees them: cost 1 - IoU, gate 1 - 0.2 or 1 - 0.5 (the low
    // pass). Boxes in a few clusters, from far apart (components of one track and one detection) to
    // crowded (one component of dozens).
    Random random = new Random(42);
    for (int n = 0; n < 600; n++) {
      int clusters = 1 + random.nextInt(8);
      double spread = 20 + random.nextDouble() * 600;
      double[][] tracks = boxes(random, random.nextInt(40), clusters, spread);
      double[][] detections = boxes(random, random.nextInt(40), clusters, spread);
      double maxCost = random.nextBoolean() ? 0.8 : 0.5;
      double[][] cost = new double[tracks.length][detections.length];
      for (int i = 0; i < tracks.length; i++) {
        for (int j = 0; j < detections.length; j++) {
          double[] d = detections[j];
          cost[i][j] = 1 - ByteTracker.iou(tracks[i], new Detection(d[0], d[1], d[2], d[3], 1, 0, "x"));
        }
      }
      assertSameAsFullMatrix(cost, maxCost, "scene " + n);
    }
  }

  @Test
  void aLonePairAtTheGateStaysUnmatchedAsBefore() {
    // Matching it (0.8) and leaving both unmatched (0.4 + 0.4) tie; the full solve leaves them.
    double[][] cost = {{0.8}};
    assertArrayEquals(new int[] {-1}, FullMatrixAssignment.solve(cost, 0.8));
    assertArrayEquals(new int[] {-1}, Assignment.solve(cost, 0.8));
    assertArrayEquals(new int[] {0}, Assignment.solve(new double[][] {{0.79}}, 0.8));
  }

  @Test
  void overlapsFindsEveryPairThatIntersectsOnce() {
    // Integer coordinates on a small grid: many boxes touching at an edge (no intersection), equal
    // left edges, empty boxes.
    Random random = new Random(7);
    for (int n = 0; n < 2000; n++) {
      double[][] as = gridBoxes(random, random.nextInt(15));
      double[][] bs = gridBoxes(random, random.nextInt(15));
      Set<List<Integer>> found = new HashSet<>();
      Overlaps.forEach(as, bs, (a, b) -> assertTrue(found.add(List.of(a, b)), "twice: " + a + ", " + b));
      for (int a = 0; a < as.length; a++) {
        for (int b = 0; b < bs.length; b++) {
          boolean xOverlap = Math.min(as[a][0] + as[a][2], bs[b][0] + bs[b][2]) > Math.max(as[a][0], bs[b][0]);
          assertEquals(xOverlap, found.contains(List.of(a, b)), "case " + n + ": " + a + ", " + b);
        }
      }
    }
  }

  /** Asserts the two solvers agree and reach the optimum; returns how many pairs they matched. */
  private static int assertSameAsFullMatrix(double[][] cost, double maxCost, String what) {
    int[] expected = FullMatrixAssignment.solve(cost, maxCost);
    int[] actual = Assignment.solve(cost, maxCost);
    assertArrayEquals(expected, actual, what);
    assertEquals(optimum(cost, maxCost), total(cost, maxCost, actual), 1e-9, what);
    return (int) Arrays.stream(actual).filter(j -> j >= 0).count();
  }

  /** Matched costs plus maxCost / 2 per unmatched row and column. */
  private static double total(double[][] cost, double maxCost, int[] match) {
    int cols = cost.length == 0 ? 0 : cost[0].length;
    double sum = 0;
    int matched = 0;
    for (int i = 0; i < match.length; i++) {
      if (match[i] >= 0) {
        assertTrue(cost[i][match[i]] <= maxCost, "matched above the gate");
        sum += cost[i][match[i]];
        matched++;
      }
    }
    return sum + maxCost / 2 * (match.length + cols - 2 * matched);
  }

  /** The optimum of the extended problem by the testkit's Hungarian method (gated-out pairs: 1e6). */
  private static double optimum(double[][] cost, double maxCost) {
    int rows = cost.length;
    int cols = rows == 0 ? 0 : cost[0].length;
    int n = rows + cols;
    if (n == 0) {
      return 0;
    }
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i < rows && j < cols) {
          a[i][j] = cost[i][j] <= maxCost ? cost[i][j] : 1e6;
        } else {
          a[i][j] = i < rows || j < cols ? maxCost / 2 : 0;
        }
      }
    }
    int[] match = Hungarian.minCost(a);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += a[i][match[i]];
    }
    return sum;
  }

  private static double[][] boxes(Random random, int count, int clusters, double spread) {
    double[][] centres = new double[clusters][];
    Random place = new Random(clusters * 31L + (long) spread);
    for (int c = 0; c < clusters; c++) {
      centres[c] = new double[] {place.nextDouble() * 1920, place.nextDouble() * 1080};
    }
    double[][] boxes = new double[count][];
    for (int k = 0; k < count; k++) {
      double[] c = centres[random.nextInt(clusters)];
      double w = 20 + random.nextDouble() * 80;
      double h = 20 + random.nextDouble() * 80;
      boxes[k] = new double[] {c[0] + random.nextGaussian() * spread / 4, c[1] + random.nextGaussian() * spread / 4, w, h};
    }
    return boxes;
  }

  private static double[][] gridBoxes(Random random, int count) {
    double[][] boxes = new double[count][];
    for (int k = 0; k < count; k++) {
      boxes[k] = new double[] {random.nextInt(10), random.nextInt(10), random.nextInt(4), random.nextInt(4)};
    }
    return boxes;
  }
}
