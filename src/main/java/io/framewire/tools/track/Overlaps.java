package io.framewire.tools.track;

import java.util.Arrays;

/**
 * The pairs of boxes, one from each of two sets, whose x ranges overlap (a sweep over x, sorted by
 * left edge): O(n log n + pairs) instead of testing every pair. Every pair with a positive
 * intersection ({@link ByteTracker#iou} &gt; 0) is among them; the caller tests y and the IoU.
 */
final class Overlaps {

  /** Receives one pair: an index into the first set and one into the second. */
  @FunctionalInterface
  interface IndexPair {
    void accept(int a, int b);
  }

  private Overlaps() {}

  /**
   * Calls {@code pair.accept(a, b)} once for each index {@code a} into {@code as} and {@code b} into
   * {@code bs} whose x ranges overlap: {@code min(x + w) > max(x)}, exactly the test of {@link
   * ByteTracker#iou}.
   *
   * @param as boxes {@code {x, y, w, h}}
   * @param bs boxes {@code {x, y, w, h}}
   */
  static void forEach(double[][] as, double[][] bs, IndexPair pair) {
    int n = as.length + bs.length;
    // Entries k < as.length are as[k]; the others bs[k - as.length]. Sorted by left edge.
    Integer[] order = new Integer[n];
    Arrays.setAll(order, k -> k);
    Arrays.sort(order, (p, q) -> Double.compare(left(as, bs, p), left(as, bs, q)));
    int[] activeA = new int[as.length];
    int[] activeB = new int[bs.length];
    int countA = 0;
    int countB = 0;
    for (int k : order) {
      double[] box = k < as.length ? as[k] : bs[k - as.length];
      double left = box[0];
      if (!(box[0] + box[2] > left)) {
        continue; // empty (or NaN): overlaps nothing
      }
      if (k < as.length) {
        // A box already passed whose right edge is at or before this left edge overlaps neither this
        // box nor any later one (their left edges are no smaller): drop it.
        countB = prune(activeB, countB, bs, left);
        for (int i = 0; i < countB; i++) {
          pair.accept(k, activeB[i]);
        }
        activeA[countA++] = k;
      } else {
        countA = prune(activeA, countA, as, left);
        for (int i = 0; i < countA; i++) {
          pair.accept(activeA[i], k - as.length);
        }
        activeB[countB++] = k - as.length;
      }
    }
  }

  private static double left(double[][] as, double[][] bs, int k) {
    return k < as.length ? as[k][0] : bs[k - as.length][0];
  }

  /** Keeps, in order, the active boxes whose right edge is after {@code left}; returns how many. */
  private static int prune(int[] active, int count, double[][] boxes, double left) {
    int kept = 0;
    for (int i = 0; i < count; i++) {
      double[] b = boxes[active[i]];
      if (b[0] + b[2] > left) {
        active[kept++] = active[i];
      }
    }
    return kept;
  }
}
