package io.framewire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CLEAR-MOT and identity scores on sequences small enough to score by hand. */
class TrackingMetricsTest {

  /** A 10 × 10 box at ({@code x}, 0). IoU of two of them {@code d} apart: (10 − d) / (10 + d). */
  private static IdBox box(int id, double x) {
    return new IdBox(id, "", x, 0, 10, 10);
  }

  /** {@code frames} frames of object 1 at x = 0, for ground truth. */
  private static List<List<IdBox>> still(int frames) {
    List<List<IdBox>> truth = new ArrayList<>();
    for (int f = 0; f < frames; f++) {
      truth.add(List.of(box(1, 0)));
    }
    return truth;
  }

  @Test
  void aPerfectTrackScoresOne() {
    List<List<IdBox>> tracks = new ArrayList<>();
    for (int f = 0; f < 4; f++) {
      tracks.add(List.of(box(7, 0)));
    }
    TrackingMetrics.Result r = TrackingMetrics.evaluate(still(4), tracks);
    assertEquals(new TrackingMetrics.Result(4, 4, 4, 4, 0, 0, 0, 1.0, 4, 1, 1), r);
    assertEquals(1.0, r.mota());
    assertEquals(1.0, r.idf1());
  }

  @Test
  void anIdSwitchHalfwayCostsOneSwitchAndHalfTheIdentityScore() {
    List<List<IdBox>> tracks = new ArrayList<>();
    for (int f = 0; f < 10; f++) {
      tracks.add(List.of(box(f < 5 ? 1 : 2, 0)));
    }
    TrackingMetrics.Result r = TrackingMetrics.evaluate(still(10), tracks);
    assertEquals(1, r.idSwitches());
    assertEquals(0, r.misses());
    assertEquals(0, r.falsePositives());
    assertEquals(0.9, r.mota(), 1e-12, "1 - 1/10");
    // Object 1 pairs with one of the tracks for 5 of its 10 frames: IDTP 5, IDF1 = 2*5 / (10 + 10).
    assertEquals(5, r.idtp());
    assertEquals(0.5, r.idf1(), 1e-12);
    assertEquals(2, r.trackIds());
  }

  @Test
  void switchingBackIsASecondSwitch() {
    List<List<IdBox>> tracks = new ArrayList<>();
    for (int f = 0; f < 10; f++) {
      tracks.add(List.of(box(f >= 4 && f < 6 ? 2 : 1, 0)));
    }
    TrackingMetrics.Result r = TrackingMetrics.evaluate(still(10), tracks);
    assertEquals(2, r.idSwitches());
    assertEquals(0.8, r.mota(), 1e-12);
    assertEquals(8, r.idtp());
    assertEquals(0.8, r.idf1(), 1e-12, "2*8 / 20");
  }

  @Test
  void aFalsePositiveAndAMiss() {
    List<List<IdBox>> withExtra = new ArrayList<>();
    List<List<IdBox>> withGap = new ArrayList<>();
    for (int f = 0; f < 4; f++) {
      withExtra.add(f == 2 ? List.of(box(1, 0), box(2, 300)) : List.of(box(1, 0)));
      withGap.add(f == 2 ? List.of() : List.of(box(1, 0)));
    }
    TrackingMetrics.Result fp = TrackingMetrics.evaluate(still(4), withExtra);
    assertEquals(1, fp.falsePositives());
    assertEquals(0, fp.misses());
    assertEquals(0.75, fp.mota(), 1e-12);
    assertEquals(8.0 / 9, fp.idf1(), 1e-12, "2*4 / (4 + 5)");

    TrackingMetrics.Result miss = TrackingMetrics.evaluate(still(4), withGap);
    assertEquals(0, miss.falsePositives());
    assertEquals(1, miss.misses());
    assertEquals(0.75, miss.mota(), 1e-12);
    assertEquals(6.0 / 7, miss.idf1(), 1e-12, "2*3 / (4 + 3)");
  }

  @Test
  void aBoxOverlappingLessThanHalfIsAMissAndAFalsePositive() {
    // d = 4: IoU 6/14 < 0.5; d = 3: IoU 7/13 >= 0.5.
    TrackingMetrics.Result far = TrackingMetrics.evaluate(still(1), List.of(List.of(box(1, 4))));
    assertEquals(1, far.misses());
    assertEquals(1, far.falsePositives());
    assertEquals(-1.0, far.mota(), 1e-12);
    assertEquals(0.0, far.idf1());
    TrackingMetrics.Result near = TrackingMetrics.evaluate(still(1), List.of(List.of(box(1, 3))));
    assertEquals(1, near.matches());
    assertEquals(7.0 / 13, near.motp(), 1e-12);
  }

  @Test
  void anObjectKeepsItsTrackWhileItStillOverlapsEnough() {
    // Frame 1: track 2 overlaps object 1 more (IoU 1) than its track 1 does (IoU 9/11), but 1 still
    // overlaps enough, so the correspondence stays: no switch, and track 2 is a false positive.
    List<List<IdBox>> tracks = List.of(List.of(box(1, 0)), List.of(box(1, 1), box(2, 0)));
    TrackingMetrics.Result r = TrackingMetrics.evaluate(still(2), tracks);
    assertEquals(0, r.idSwitches());
    assertEquals(2, r.matches());
    assertEquals(1, r.falsePositives());
  }

  @Test
  void aFrameMakesAsManyMatchesAsItCanBeforeMaximisingOverlap() {
    // g1 at 0, g2 at 4; h1 at 1 overlaps g1 9/11 and g2 7/13; h2 at -2 overlaps g1 8/12 and g2 4/16.
    // The most overlap alone would pair g1-h1 and leave two boxes; two matches: g1-h2, g2-h1.
    TrackingMetrics.Result r = TrackingMetrics.evaluate(
        List.of(List.of(box(1, 0), box(2, 4))), List.of(List.of(box(1, 1), box(2, -2))));
    assertEquals(2, r.matches());
    assertEquals(0, r.misses());
    assertEquals((8.0 / 12 + 7.0 / 13) / 2, r.motp(), 1e-12);
  }

  @Test
  void identitiesArePairedOptimallyOverTheWholeSequence() {
    // Frames 0-4: track 1 on object 1, track 2 on object 2; frames 5-10: track 2 on object 1 alone.
    // Pair frames: (1,1) 5, (2,2) 5, (1,2) 6. Greedy pairing takes (1,2) and scores IDTP 6; the
    // optimum pairs (1,1) and (2,2): IDTP 10, IDF1 = 2*10 / (16 + 16).
    List<List<IdBox>> truth = new ArrayList<>();
    List<List<IdBox>> tracks = new ArrayList<>();
    for (int f = 0; f <= 10; f++) {
      if (f < 5) {
        truth.add(List.of(box(1, 0), box(2, 100)));
        tracks.add(List.of(box(1, 0), box(2, 100)));
      } else {
        truth.add(List.of(box(1, 0)));
        tracks.add(List.of(box(2, 0)));
      }
    }
    TrackingMetrics.Result r = TrackingMetrics.evaluate(truth, tracks);
    assertEquals(10, r.idtp());
    assertEquals(0.625, r.idf1(), 1e-12);
    assertEquals(1, r.idSwitches());
    assertEquals(1 - 1.0 / 16, r.mota(), 1e-12);
  }

  @Test
  void mismatchedInputsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> TrackingMetrics.evaluate(still(2), List.of(List.of())));
    var e = assertThrows(IllegalArgumentException.class,
        () -> TrackingMetrics.evaluate(still(1), List.of(List.of(box(3, 0), box(3, 50)))));
    assertEquals("tracks of frame 0 has id 3 twice", e.getMessage());
  }
}
