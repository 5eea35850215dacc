package io.framewire.testing;

import java.util.Arrays;

/**
 * Minimum-cost assignment on a rectangular cost matrix (the Hungarian method with shortest
 * augmenting paths, O(n³)): every row of the smaller side is assigned a distinct column (or every
 * column a row), minimising the sum of the assigned costs. For evaluation code (matching ground
 * truth with tracks), independent of the tracker's own assignment so that the one cannot hide a
 * bug in the other.
 */
public final class Hungarian {

  private Hungarian() {}

  /**
   * @param cost {@code rows × cols} finite costs, every row the same length
   * @return for each row, its column, or -1 when the row is left out (only when rows > cols)
   */
  public static int[] minCost(double[][] cost) {
    int rows = cost.length;
    int cols = rows == 0 ? 0 : cost[0].length;
    int[] result = new int[rows];
    Arrays.fill(result, -1);
    if (rows == 0 || cols == 0) {
      return result;
    }
    // Padded to a square with zero-cost dummies: they take what the smaller side leaves.
    int n = Math.max(rows, cols);
    double[] u = new double[n + 1];
    double[] v = new double[n + 1];
    int[] p = new int[n + 1]; // p[j]: the row (1-based) assigned to column j; p[0]: the row being added
    int[] way = new int[n + 1];
    for (int i = 1; i <= n; i++) {
      p[0] = i;
      int j0 = 0;
      double[] minv = new double[n + 1];
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      boolean[] used = new boolean[n + 1];
      do {
        used[j0] = true;
        int i0 = p[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = -1;
        for (int j = 1; j <= n; j++) {
          if (!used[j]) {
            double c = i0 <= rows && j <= cols ? cost[i0 - 1][j - 1] : 0;
            if (!Double.isFinite(c)) {
              throw new IllegalArgumentException("costs must be finite, got " + c);
            }
            double cur = c - u[i0] - v[j];
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= n; j++) {
          if (used[j]) {
            u[p[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (p[j0] != 0);
      do {
        int j1 = way[j0];
        p[j0] = p[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    for (int j = 1; j <= cols; j++) {
      if (p[j] <= rows) {
        result[p[j] - 1] = j - 1;
      }
    }
    return result;
  }
}
