package io.framewire.bench;

import io.framewire.api.Detection;
import io.framewire.testing.IdBox;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The baseline of the tracking accuracy benchmark: an IoU tracker (after Bochinski et al., 2017)
 * with no motion model. Per frame, the pairs of a track's last box and a detection are taken in
 * order of IoU, highest first, while both are free and the IoU is at least {@code minIou}; an
 * unmatched detection starts a track with a new id at once; a track unmatched for more than
 * {@code maxAge} frames ends. It reports the tracks matched on the frame, with the detection's box.
 */
final class GreedyIouTracker {

  private static final class Track {
    final int id;
    Detection last;
    int lastFrame;

    Track(int id, Detection d, int frame) {
      this.id = id;
      this.last = d;
      this.lastFrame = frame;
    }
  }

  private final double minIou;
  private final int maxAge;
  private final List<Track> tracks = new ArrayList<>();
  private int frame;
  private int nextId = 1;

  GreedyIouTracker(double minIou, int maxAge) {
    this.minIou = minIou;
    this.maxAge = maxAge;
  }

  List<IdBox> update(List<Detection> detections) {
    frame++;
    record Pair(Track track, int detection, double iou) {}
    List<Pair> pairs = new ArrayList<>();
    for (Track t : tracks) {
      for (int j = 0; j < detections.size(); j++) {
        double iou = IdBox.of(0, t.last).iou(IdBox.of(0, detections.get(j)));
        if (iou >= minIou) {
          pairs.add(new Pair(t, j, iou));
        }
      }
    }
    pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
    boolean[] used = new boolean[detections.size()];
    List<Track> matched = new ArrayList<>();
    List<IdBox> out = new ArrayList<>();
    for (Pair p : pairs) {
      if (!used[p.detection()] && !matched.contains(p.track())) {
        used[p.detection()] = true;
        matched.add(p.track());
        p.track().last = detections.get(p.detection());
        p.track().lastFrame = frame;
        out.add(IdBox.of(p.track().id, p.track().last));
      }
    }
    for (int j = 0; j < detections.size(); j++) {
      if (!used[j]) {
        Track t = new Track(nextId++, detections.get(j), frame);
        tracks.add(t);
        out.add(IdBox.of(t.id, t.last));
      }
    }
    tracks.removeIf(t -> frame - t.lastFrame > maxAge);
    return out;
  }
}
