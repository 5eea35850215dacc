package io.framewire.tools.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.Detection;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** ByteTracker on synthetic detections, frame by frame. */
class ByteTrackerTest {

  private static ByteTracker.Config config(int minHits, int trackBuffer, boolean classAware) {
    return new ByteTracker.Config(0.5, 0.1, 0.2, minHits, trackBuffer, classAware, 0.6);
  }

  private static Detection box(double x, double y, double score, String label) {
    return new Detection(x, y, 40, 40, score, -1, label);
  }

  private static Detection box(double x, double y) {
    return box(x, y, 0.9, "dog");
  }

  @Test
  void oneObjectKeepsIdOneAndIsReportedFromItsMinHitsFrame() {
    ByteTracker tracker = new ByteTracker(config(3, 30, false));
    for (int f = 0; f < 20; f++) {
      List<ByteTracker.Track> tracks = tracker.update(List.of(box(10 + 5 * f, 50 + 2 * f)));
      if (f < 2) {
        assertEquals(List.of(), tracks, "frame " + f + ": not confirmed yet");
        continue;
      }
      assertEquals(1, tracks.size());
      ByteTracker.Track t = tracks.get(0);
      assertEquals(1, t.trackId());
      assertEquals("dog", t.label());
      assertEquals(f + 1, t.age());
      assertEquals(f + 1, t.hits());
      assertEquals(0.9, t.score());
      double tolerance = f < 6 ? 3.0 : 0.5; // the filter learns the velocity over the first frames
      assertEquals(10 + 5 * f, t.x(), tolerance, "frame " + f);
      assertEquals(50 + 2 * f, t.y(), tolerance, "frame " + f);
      assertEquals(40, t.w(), 1.0);
      if (f >= 10) {
        assertEquals(5, t.vx(), 0.3, "frame " + f);
        assertEquals(2, t.vy(), 0.3, "frame " + f);
      }
    }
  }

  @Test
  void anObjectMissedOneFrameInThreeKeepsItsId() {
    ByteTracker tracker = new ByteTracker(config(3, 30, false));
    int reported = 0;
    for (int f = 0; f < 30; f++) {
      boolean missed = f >= 3 && f % 3 == 2; // a tentative track must be seen on min_hits frames in a row
      List<ByteTracker.Track> tracks = tracker.update(missed ? List.of() : List.of(box(8 * f, 100)));
      if (missed || f < 2) {
        assertEquals(List.of(), tracks, "frame " + f);
      } else {
        assertEquals(1, tracks.size(), "frame " + f);
        assertEquals(1, tracks.get(0).trackId(), "frame " + f);
        assertEquals(8 * f, tracks.get(0).x(), f < 6 ? 4.0 : 1.0, "frame " + f);
        assertEquals(f + 1, tracks.get(0).age());
        reported++;
      }
    }
    assertEquals(19, reported);
  }

  @Test
  void twoObjectsCrossingThroughAFullOcclusionKeepTheirIds() {
    ByteTracker tracker = new ByteTracker(config(3, 30, false));
    // a moves right, b left, 10 px per frame; they meet at x = 150 on frame 15; b is hidden behind a
    // on frames 12..17, when the boxes overlap the most.
    for (int f = 0; f < 30; f++) {
      Detection a = box(10 * f, 100);
      Detection b = box(300 - 10 * f, 110);
      boolean hidden = f >= 12 && f <= 17;
      List<ByteTracker.Track> tracks = tracker.update(hidden ? List.of(a) : List.of(a, b));
      if (f < 2) {
        continue;
      }
      assertEquals(hidden ? 1 : 2, tracks.size(), "frame " + f);
      ByteTracker.Track first = tracks.get(0);
      assertEquals(1, first.trackId());
      assertEquals(10 * f, first.x(), f < 6 ? 4.0 : 1.0, "frame " + f + ": track 1 follows a");
      if (!hidden) {
        ByteTracker.Track second = tracks.get(1);
        assertEquals(2, second.trackId());
        assertEquals(300 - 10 * f, second.x(), f < 6 ? 4.0 : 1.0, "frame " + f + ": track 2 follows b");
      }
    }
  }

  @Test
  void aFlickeringLabelKeepsOneTrackLabelledByMajority() {
    ByteTracker agnostic = new ByteTracker(config(1, 30, false));
    ByteTracker aware = new ByteTracker(config(1, 30, true));
    Set<Integer> agnosticIds = new TreeSet<>();
    Set<Integer> awareIds = new TreeSet<>();
    for (int f = 0; f < 25; f++) {
      String label = f % 5 == 4 ? "cat" : "dog";
      List<Detection> ds = List.of(box(2 * f, 60, 0.9, label));
      for (ByteTracker.Track t : agnostic.update(ds)) {
        agnosticIds.add(t.trackId());
        assertEquals("dog", t.label(), "frame " + f);
      }
      for (ByteTracker.Track t : aware.update(ds)) {
        awareIds.add(t.trackId());
        assertEquals(label, t.label(), "frame " + f);
      }
    }
    assertEquals(Set.of(1), agnosticIds);
    assertEquals(Set.of(1, 2), awareIds, "class_aware: the cat frames form a track of their own");
  }

  @Test
  void labelTiesGoToTheLatest() {
    ByteTracker tracker = new ByteTracker(config(1, 30, false));
    assertEquals("dog", tracker.update(List.of(box(0, 0, 0.9, "dog"))).get(0).label());
    assertEquals("cat", tracker.update(List.of(box(2, 0, 0.9, "cat"))).get(0).label(), "1:1, cat is the latest");
    assertEquals("cat", tracker.update(List.of(box(4, 0, 0.9, "cat"))).get(0).label(), "2:1");
    assertEquals("dog", tracker.update(List.of(box(6, 0, 0.9, "dog"))).get(0).label(), "2:2, dog is the latest");
    assertEquals("cat", tracker.update(List.of(box(8, 0, 0.9, "cat"))).get(0).label(), "3:2");
    assertEquals("dog", tracker.update(List.of(box(10, 0, 0.9, "dog"))).get(0).label(), "3:3, dog is the latest");
  }

  @Test
  void lowScoreDetectionsKeepATrackAliveButNeverStartOne() {
    ByteTracker tracker = new ByteTracker(config(3, 30, false));
    for (int f = 0; f < 20; f++) {
      List<Detection> ds = new ArrayList<>();
      ds.add(box(5 * f, 20, f < 5 ? 0.9 : 0.3, "dog")); // high, then low
      ds.add(box(400, 300 + 2 * f, 0.3, "cat")); // only ever low
      ds.add(box(600, 50, 0.55, "cat")); // high but below new_track_thresh 0.6
      List<ByteTracker.Track> tracks = tracker.update(ds);
      if (f < 2) {
        assertEquals(List.of(), tracks);
        continue;
      }
      assertEquals(1, tracks.size(), "frame " + f);
      assertEquals(1, tracks.get(0).trackId());
      assertEquals(f < 5 ? 0.9 : 0.3, tracks.get(0).score());
      assertEquals(f + 1, tracks.get(0).hits());
    }
    // The next new object gets id 2: no id was spent on the low-score ones.
    for (int f = 0; f < 3; f++) {
      List<ByteTracker.Track> tracks = tracker.update(List.of(box(700, 400, 0.95, "cow")));
      assertEquals(f < 2 ? List.of() : List.of(2), tracks.stream().map(ByteTracker.Track::trackId).toList());
    }
  }

  @Test
  void aTrackLostLongerThanTheBufferGetsANewId() {
    for (int gap : new int[] {5, 6}) {
      ByteTracker tracker = new ByteTracker(config(1, 5, false));
      for (int f = 0; f < 5; f++) {
        assertEquals(1, tracker.update(List.of(box(100, 100))).get(0).trackId());
      }
      for (int f = 0; f < gap; f++) {
        assertEquals(List.of(), tracker.update(List.of()));
      }
      int id = tracker.update(List.of(box(100, 100))).get(0).trackId();
      assertEquals(gap <= 5 ? 1 : 2, id, "missed for " + gap + " frames with track_buffer 5");
    }
  }

  @Test
  void anUnconfirmedTrackThatMissesAFrameIsDropped() {
    ByteTracker tracker = new ByteTracker(config(3, 30, false));
    tracker.update(List.of(box(0, 0)));
    tracker.update(List.of(box(0, 0)));
    tracker.update(List.of());
    assertEquals(List.of(), tracker.update(List.of(box(0, 0))));
    assertEquals(List.of(), tracker.update(List.of(box(0, 0))));
    assertEquals(1, tracker.update(List.of(box(0, 0))).get(0).trackId());
  }

  @Test
  void lowThreshAboveTrackThreshIsRefused() {
    var e = assertThrows(IllegalArgumentException.class, () -> new ByteTracker.Config(0.3, 0.4, 0.2, 3, 30, false, 0.4));
    assertTrue(e.getMessage().contains("low_thresh"), e.getMessage());
  }

  @Test
  void stepReportsATrackStartedWhenConfirmedAndEndedWhenDropped() {
    ByteTracker tracker = new ByteTracker(config(3, 5, false));
    List<Integer> startedOn = new ArrayList<>();
    List<Integer> endedOn = new ArrayList<>();
    ByteTracker.Track lastReported = null;
    ByteTracker.Track ended = null;
    for (int f = 0; f < 20; f++) {
      ByteTracker.Update update = tracker.step(f < 10 ? List.of(box(10 * f, 100)) : List.of());
      if (!update.tracks().isEmpty()) {
        lastReported = update.tracks().get(0);
      }
      if (!update.started().isEmpty()) {
        startedOn.add(f);
        assertEquals(update.tracks(), update.started(), "the started track is reported on that frame");
      }
      if (!update.ended().isEmpty()) {
        endedOn.add(f);
        ended = update.ended().get(0);
      }
    }
    assertEquals(List.of(2), startedOn, "confirmed on its min_hits-th frame");
    // Last matched on frame 9, lost from frame 10, dropped once lost for more than 5 frames.
    assertEquals(List.of(15), endedOn);
    assertEquals(lastReported, ended, "ended with the box it was last reported with");
    assertEquals(1, ended.trackId());
  }

  @Test
  void continueFromKeepsTheTracksAndTheNextId() {
    ByteTracker before = new ByteTracker(config(3, 30, false));
    for (int f = 0; f < 5; f++) {
      before.update(List.of(box(10 * f, 100)));
    }
    ByteTracker after = new ByteTracker(config(1, 30, false));
    after.continueFrom(before);
    ByteTracker.Update update = after.step(List.of(box(50, 100), box(400, 300)));
    assertEquals(List.of(1, 2), update.tracks().stream().map(ByteTracker.Track::trackId).toList(),
        "the old track keeps id 1; the new one, confirmed at once under min_hits 1, gets 2");
    assertEquals(6, update.tracks().get(0).age());
    assertEquals(List.of(2), update.started().stream().map(ByteTracker.Track::trackId).toList());
  }
}
