package io.framewire.tools.track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Minimum-cost assignment of rows to columns (the Hungarian method, shortest augmenting paths) with
 * a gate: a row and a column are matched only if their cost is at most {@code maxCost}.
 *
 * <p>As ByteTrack does with {@code lap.lapjv(cost, extend_cost=True, cost_limit=…)}, the matrix is
 * extended so that leaving a row or a column unmatched costs {@code maxCost / 2}: the result
 * minimises the sum of the matched costs plus {@code maxCost / 2} per unmatched row and column. So a
 * pair costing more than the gate is never worth matching, and no match is made greedily.
 *
 * <p>That objective is a sum over the connected components of the graph of gate-passing pairs (a
 * row or column with no such pair is unmatched whatever the rest does), so each component is solved
 * on its own: O(k³) per component of k rows and columns instead of O((rows + cols)³) for the whole.
 * A tracker's components are mostly one track and one detection.
 */
final class Assignment {

  /** A row and a column whose cost passes the gate ({@code cost <= maxCost}). */
  record Pair(int row, int col, double cost) {}

  private Assignment() {}

  /**
   * @param cost {@code rows × cols} costs (every row the same length; NaN counts as infinite)
   * @param maxCost the gate: the largest cost a match may have
   * @return for each row, its column, or -1 when unmatched
   */
  static int[] solve(double[][] cost, double maxCost) {
    int rows = cost.length;
    int cols = rows == 0 ? 0 : cost[0].length;
    List<Pair> pairs = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        if (cost[i][j] <= maxCost) { // false for NaN
          pairs.add(new Pair(i, j, cost[i][j]));
        }
      }
    }
    return solve(rows, cols, pairs, maxCost);
  }

  /**
   * @param pairs the pairs that pass the gate, each (row, column) at most once; every other pair
   *     counts as infinite
   * @param maxCost the gate: the largest cost a match may have
   * @return for each of the {@code rows} rows, its column, or -1 when unmatched
   */
  static int[] solve(int rows, int cols, List<Pair> pairs, double maxCost) {
    int[] result = new int[rows];
    Arrays.fill(result, -1);
    // Components by union-find over rows 0..rows-1 and columns rows..rows+cols-1.
    int[] parent = new int[rows + cols];
    Arrays.setAll(parent, k -> k);
    for (Pair p : pairs) {
      if (!(p.cost() <= maxCost)) {
        throw new IllegalArgumentException("pair above the gate " + maxCost + ": " + p);
      }
      parent[root(parent, p.row())] = root(parent, rows + p.col());
    }
    List<List<Pair>> components = new ArrayList<>();
    int[] component = new int[rows + cols]; // root -> 1 + index in components; 0: none yet
    for (Pair p : pairs) {
      int r = root(parent, p.row());
      if (component[r] == 0) {
        components.add(new ArrayList<>());
        component[r] = components.size();
      }
      components.get(component[r] - 1).add(p);
    }
    for (List<Pair> c : components) {
      if (c.size() == 1) {
        // One row, one column: matching costs c, leaving both costs maxCost; at a tie the full
        // extended solve leaves them unmatched too.
        Pair p = c.get(0);
        if (p.cost() < maxCost) {
          result[p.row()] = p.col();
        }
      } else {
        solveComponent(c, maxCost, result);
      }
    }
    return result;
  }

  private static int root(int[] parent, int k) {
    while (parent[k] != k) {
      parent[k] = parent[parent[k]];
      k = parent[k];
    }
    return k;
  }

  /** Solves one component on its own rows and columns, in their original order, into {@code result}. */
  private static void solveComponent(List<Pair> pairs, double maxCost, int[] result) {
    int[] rowIds = pairs.stream().mapToInt(Pair::row).distinct().sorted().toArray();
    int[] colIds = pairs.stream().mapToInt(Pair::col).distinct().sorted().toArray();
    double[][] cost = new double[rowIds.length][colIds.length];
    for (double[] row : cost) {
      Arrays.fill(row, Double.NaN);
    }
    for (Pair p : pairs) {
      cost[Arrays.binarySearch(rowIds, p.row())][Arrays.binarySearch(colIds, p.col())] = p.cost();
    }
    int[] match = solveDense(cost, maxCost);
    for (int i = 0; i < rowIds.length; i++) {
      if (match[i] >= 0) {
        result[rowIds[i]] = colIds[match[i]];
      }
    }
  }

  /** The whole matrix as one extended square problem, O((rows + cols)³). */
  private static int[] solveDense(double[][] cost, double maxCost) {
    int rows = cost.length;
    int cols = cost[0].length;
    int[] result = new int[rows];
    Arrays.fill(result, -1);
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
