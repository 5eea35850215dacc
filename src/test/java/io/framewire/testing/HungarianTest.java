package io.framewire.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The testkit's assignment against hand-solved cases and against trying every assignment. */
class HungarianTest {

  @Test
  void solvesAHandCase() {
    double[][] cost = {
        {4, 1, 3},
        {2, 0, 5},
        {3, 2, 2}};
    // Greedy would take the 0 (row 1, column 1) first and pay 4 + 0 + 2 = 6; the optimum is 1 + 2 + 2 = 5.
    assertArrayEquals(new int[] {1, 0, 2}, Hungarian.minCost(cost));
  }

  @Test
  void rectangularMatricesAssignTheSmallerSide() {
    assertArrayEquals(new int[] {2, 0}, Hungarian.minCost(new double[][] {{5, 9, 1}, {2, 8, 7}}));
    assertArrayEquals(new int[] {-1, 0, 1}, Hungarian.minCost(new double[][] {{5, 9}, {1, 8}, {7, 2}}));
    assertArrayEquals(new int[] {}, Hungarian.minCost(new double[0][0]));
    assertArrayEquals(new int[] {-1, -1}, Hungarian.minCost(new double[2][0]));
  }

  @Test
  void matchesTheBestOfAllAssignmentsOnRandomMatrices() {
    Random random = new Random(21);
    for (int trial = 0; trial < 300; trial++) {
      int rows = 1 + random.nextInt(6);
      int cols = 1 + random.nextInt(6);
      double[][] cost = new double[rows][cols];
      for (double[] row : cost) {
        for (int j = 0; j < cols; j++) {
          row[j] = random.nextInt(4) == 0 ? -random.nextInt(5) : random.nextInt(20); // ties and negatives too
        }
      }
      int[] assigned = Hungarian.minCost(cost);
      double total = 0;
      boolean[] used = new boolean[cols];
      int count = 0;
      for (int i = 0; i < rows; i++) {
        if (assigned[i] >= 0) {
          assertEquals(false, used[assigned[i]], "a column twice");
          used[assigned[i]] = true;
          total += cost[i][assigned[i]];
          count++;
        }
      }
      assertEquals(Math.min(rows, cols), count, "the smaller side is fully assigned");
      assertEquals(best(cost, 0, new boolean[cols], Math.min(rows, cols)), total, 1e-9, "trial " + trial);
    }
  }

  /** The least total over assignments of rows from {@code i} that still need {@code need} pairs. */
  private static double best(double[][] cost, int i, boolean[] used, int need) {
    if (need == 0) {
      return 0;
    }
    if (cost.length - i < need) {
      return Double.POSITIVE_INFINITY;
    }
    double min = best(cost, i + 1, used, need); // row i left out
    for (int j = 0; j < used.length; j++) {
      if (!used[j]) {
        used[j] = true;
        min = Math.min(min, cost[i][j] + best(cost, i + 1, used, need - 1));
        used[j] = false;
      }
    }
    return min;
  }
}
