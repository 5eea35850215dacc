package io.framewire.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Multi-object tracking scores of a tracker's output against ground truth, frame by frame: the
 * CLEAR-MOT counts (Bernardin and Stiefelhagen, 2008, as py-motmetrics computes them) and the
 * identity scores (Ristani et al., 2016). A ground-truth box and a track's box may correspond on a
 * frame when their IoU is at least {@code minIou} (default {@value #MIN_IOU}).
 *
 * <p>CLEAR-MOT, per frame: an object keeps the track it was last matched to if that track still
 * overlaps it enough; the objects and tracks left are matched by an optimal assignment that makes
 * as many matches as it can and, among those, maximises the IoU ({@link Hungarian}). An object
 * matched to another track than on its previous match is an identity switch. Then {@code MOTA = 1 −
 * (FN + FP + IDSW) / GT} and MOTP is the mean IoU of the matches.
 *
 * <p>Identity: each object id is paired with at most one track id for the whole sequence, the
 * pairing that maximises IDTP, the frames on which the paired boxes overlap enough; {@code IDF1 =
 * 2 IDTP / (GT boxes + track boxes)}.
 */
public final class TrackingMetrics {

  /** The usual correspondence threshold (MOTChallenge). */
  public static final double MIN_IOU = 0.5;

  /**
   * The scores of one sequence.
   *
   * @param frames frames compared
   * @param truthBoxes ground-truth boxes over all frames (GT)
   * @param trackBoxes track boxes over all frames
   * @param matches CLEAR-MOT matches
   * @param misses ground-truth boxes not matched (FN)
   * @param falsePositives track boxes not matched (FP)
   * @param idSwitches identity switches (IDSW)
   * @param motp mean IoU of the matches (NaN without matches)
   * @param idtp boxes matched under the best global pairing of object ids and track ids
   * @param truthIds distinct object ids
   * @param trackIds distinct track ids
   */
  public record Result(int frames, int truthBoxes, int trackBoxes, int matches, int misses, int falsePositives,
      int idSwitches, double motp, int idtp, int truthIds, int trackIds) {

    /** {@code 1 − (FN + FP + IDSW) / GT}; NaN without ground truth. */
    public double mota() {
      return truthBoxes == 0 ? Double.NaN : 1 - (double) (misses + falsePositives + idSwitches) / truthBoxes;
    }

    /** {@code 2 IDTP / (GT + track boxes)}; NaN when both are empty. */
    public double idf1() {
      int all = truthBoxes + trackBoxes;
      return all == 0 ? Double.NaN : 2.0 * idtp / all;
    }

    /** Identity precision: IDTP / track boxes. */
    public double idp() {
      return trackBoxes == 0 ? Double.NaN : (double) idtp / trackBoxes;
    }

    /** Identity recall: IDTP / GT. */
    public double idr() {
      return truthBoxes == 0 ? Double.NaN : (double) idtp / truthBoxes;
    }

    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT,
          "MOTA %.4f IDF1 %.4f (IDP %.4f IDR %.4f) IDSW %d FN %d FP %d GT %d matches %d MOTP %.4f ids %d/%d",
          mota(), idf1(), idp(), idr(), idSwitches, misses, falsePositives, truthBoxes, matches, motp, trackIds,
          truthIds);
    }
  }

  private TrackingMetrics() {}

  /** {@link #evaluate(List, List, double)} at IoU {@value #MIN_IOU}. */
  public static Result evaluate(List<? extends List<IdBox>> truth, List<? extends List<IdBox>> tracks) {
    return evaluate(truth, tracks, MIN_IOU);
  }

  /**
   * @param truth per frame, the ground-truth boxes (ids unique within a frame)
   * @param tracks per frame, the tracker's boxes (ids unique within a frame); as many frames as {@code truth}
   * @param minIou the IoU a correspondence needs
   */
  public static Result evaluate(List<? extends List<IdBox>> truth, List<? extends List<IdBox>> tracks, double minIou) {
    if (truth.size() != tracks.size()) {
      throw new IllegalArgumentException(truth.size() + " frames of ground truth but " + tracks.size() + " of tracks");
    }
    Map<Integer, Integer> lastMatch = new HashMap<>(); // object id -> track id of its latest match
    Map<List<Integer>, Integer> pairFrames = new HashMap<>(); // (object id, track id) -> frames overlapping
    Set<Integer> truthIds = new HashSet<>();
    Set<Integer> trackIds = new HashSet<>();
    int truthBoxes = 0;
    int trackBoxes = 0;
    int matches = 0;
    int switches = 0;
    double iouSum = 0;
    for (int f = 0; f < truth.size(); f++) {
      List<IdBox> gts = truth.get(f);
      List<IdBox> hyps = tracks.get(f);
      requireUniqueIds(gts, "ground truth", f);
      requireUniqueIds(hyps, "tracks", f);
      truthBoxes += gts.size();
      trackBoxes += hyps.size();
      gts.forEach(g -> truthIds.add(g.id()));
      hyps.forEach(h -> trackIds.add(h.id()));
      double[][] iou = new double[gts.size()][hyps.size()];
      for (int i = 0; i < gts.size(); i++) {
        for (int j = 0; j < hyps.size(); j++) {
          iou[i][j] = gts.get(i).iou(hyps.get(j));
          if (iou[i][j] >= minIou) {
            pairFrames.merge(List.of(gts.get(i).id(), hyps.get(j).id()), 1, Integer::sum);
          }
        }
      }
      boolean[] gtDone = new boolean[gts.size()];
      boolean[] hypDone = new boolean[hyps.size()];
      // 1. Correspondences kept from the previous match.
      for (int i = 0; i < gts.size(); i++) {
        Integer previous = lastMatch.get(gts.get(i).id());
        for (int j = 0; previous != null && j < hyps.size(); j++) {
          if (!hypDone[j] && hyps.get(j).id() == previous && iou[i][j] >= minIou) {
            gtDone[i] = true;
            hypDone[j] = true;
            matches++;
            iouSum += iou[i][j];
          }
        }
      }
      // 2. The rest: as many matches as possible, then the most overlap.
      List<Integer> rows = new ArrayList<>();
      List<Integer> cols = new ArrayList<>();
      for (int i = 0; i < gts.size(); i++) {
        if (!gtDone[i]) {
          rows.add(i);
        }
      }
      for (int j = 0; j < hyps.size(); j++) {
        if (!hypDone[j]) {
          cols.add(j);
        }
      }
      // A forbidden pair costs more than every allowed one together (each at most 1): fewer of them first.
      double forbidden = Math.min(rows.size(), cols.size()) + 1;
      double[][] cost = new double[rows.size()][cols.size()];
      for (int r = 0; r < rows.size(); r++) {
        for (int c = 0; c < cols.size(); c++) {
          double o = iou[rows.get(r)][cols.get(c)];
          cost[r][c] = o >= minIou ? 1 - o : forbidden;
        }
      }
      int[] assigned = Hungarian.minCost(cost);
      for (int r = 0; r < rows.size(); r++) {
        if (assigned[r] < 0) {
          continue;
        }
        int i = rows.get(r);
        int j = cols.get(assigned[r]);
        if (iou[i][j] < minIou) {
          continue;
        }
        matches++;
        iouSum += iou[i][j];
        Integer previous = lastMatch.put(gts.get(i).id(), hyps.get(j).id());
        if (previous != null && previous != hyps.get(j).id()) {
          switches++;
        }
      }
    }
    return new Result(truth.size(), truthBoxes, trackBoxes, matches, truthBoxes - matches, trackBoxes - matches,
        switches, matches == 0 ? Double.NaN : iouSum / matches, idtp(pairFrames), truthIds.size(), trackIds.size());
  }

  /** The most frames a one-to-one pairing of object ids with track ids can have overlapping. */
  private static int idtp(Map<List<Integer>, Integer> pairFrames) {
    Map<Integer, Integer> row = new TreeMap<>();
    Map<Integer, Integer> col = new TreeMap<>();
    for (List<Integer> pair : pairFrames.keySet()) {
      row.putIfAbsent(pair.get(0), row.size());
      col.putIfAbsent(pair.get(1), col.size());
    }
    double[][] cost = new double[row.size()][col.size()];
    pairFrames.forEach((pair, frames) -> cost[row.get(pair.get(0))][col.get(pair.get(1))] = -frames);
    int[] assigned = Hungarian.minCost(cost);
    int idtp = 0;
    for (int r = 0; r < assigned.length; r++) {
      if (assigned[r] >= 0) {
        idtp += (int) -cost[r][assigned[r]];
      }
    }
    return idtp;
  }

  private static void requireUniqueIds(List<IdBox> boxes, String what, int frame) {
    Set<Integer> seen = new HashSet<>();
    for (IdBox b : boxes) {
      if (!seen.add(b.id())) {
        throw new IllegalArgumentException(what + " of frame " + frame + " has id " + b.id() + " twice");
      }
    }
  }
}
