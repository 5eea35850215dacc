package io.framewire.tools.track;

import java.util.Arrays;

/**
 * The reference for {@link AssignmentEquivalenceTest}: {@link Assignment} as it was before it split
 * the problem into components (commit cd6be21), one (rows + cols)² extended matrix solved whole.
 */
final class FullMatrixAssignment {

  private FullMatrixAssignment() {}

  /**
   * @param cost {@code rows × cols} costs (every row the same length; NaN counts as infinite)
   * @param maxCost the gate: the largest cost a match may have
   * @return for each row, its column, or -1 when unmatched
   */
  static int[] solve(double[][] cost, double maxCost) {
    int rows = cost.length;
    int cols = rows == 0 ? 0 : cost[0].length;
    int[] result = new int[rows];
    Arrays.fill(result, -1);
    if (rows == 0 || cols == 0) {
      return result;
    }
    // Extended square matrix of size rows + cols:
    //   [ cost            | maxCost/2 ]
    //   [ maxCost/2       | 0         ]
    // Pairs above the gate get a cost no optimal assignment takes (cheaper: leave both unmatched).
    int n = rows + cols;
    double half = maxCost / 2;
    double blocked = Math.max(1, Math.abs(maxCost)) * 4 * n;
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (i < rows && j < cols) {
          double c = cost[i][j];
          a[i][j] = Double.isNaN(c) || c > maxCost ? blocked : c;
        } else if (i < rows || j < cols) {
          a[i][j] = half;
        } else {
          a[i][j] = 0;
        }
      }
    }
    int[] rowOf = hungarian(a);
    for (int j = 0; j < cols; j++) {
      int i = rowOf[j];
      if (i < rows && cost[i][j] <= maxCost) {
        result[i] = j;
      }
    }
    return result;
  }

  /** Square minimum-cost perfect matching; returns, for each column, its row. */
  private static int[] hungarian(double[][] a) {
    int n = a.length;
    double[] u = new double[n + 1];
    double[] v = new double[n + 1];
    int[] p = new int[n + 1]; // p[j]: row (1-based) matched to column j; p[0]: the row being added
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
            double cur = a[i0 - 1][j - 1] - u[i0] - v[j];
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
    int[] rowOf = new int[n];
    for (int j = 1; j <= n; j++) {
      rowOf[j - 1] = p[j] - 1;
    }
    return rowOf;
  }
}
