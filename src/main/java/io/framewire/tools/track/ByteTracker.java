package io.framewire.tools.track;

import io.framewire.api.Detection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * ByteTrack (Zhang et al., 2022) over one stream: call {@link #update} (or {@link #step}, which also
 * says which tracks started and ended) once per frame, in order, with that frame's detections. Pure and deterministic; not thread-safe (one stream, one caller).
 *
 * <p>Per frame: every track's Kalman filter predicts; detections split into high ({@code score >=
 * trackThresh}) and low ({@code lowThresh <= score < trackThresh}); (1) confirmed tracks, tracked
 * or lost, are matched to high detections by IoU with an optimal assignment ({@link Assignment}),
 * a pair needing IoU ≥ {@code matchIou}; (2) the tracked ones left are matched to low detections
 * (IoU ≥ {@value #LOW_MATCH_IOU}, ByteTrack's fixed second threshold), and those still unmatched
 * become lost; (3) tentative tracks are matched to the high detections left (IoU ≥ {@code
 * matchIou}) and dropped when unmatched; (4) high detections still left with {@code score >=
 * newTrackThresh} start tentative tracks; (5) lost tracks unmatched for more than {@code
 * trackBuffer} frames are dropped. A tentative track is confirmed, and only then gets its id, once
 * matched on {@code minHits} consecutive frames.
 */
public final class ByteTracker {

  /** IoU needed to match a tracked track with a low-score detection (ByteTrack's 1 - 0.5). */
  static final double LOW_MATCH_IOU = 0.5;

  /**
   * The tracker's settings.
   *
   * @param trackThresh detections scoring at least this are "high"
   * @param lowThresh detections scoring less than this are ignored
   * @param matchIou the IoU a high detection needs to match a track (ByteTrack's 1 - match_thresh)
   * @param minHits consecutive matched frames before a track is confirmed (reported, given an id)
   * @param trackBuffer frames a lost track is kept for re-association
   * @param classAware whether only detections of a track's label may match it
   * @param newTrackThresh score an unmatched high detection needs to start a track
   */
  public record Config(double trackThresh, double lowThresh, double matchIou, int minHits, int trackBuffer,
      boolean classAware, double newTrackThresh) {

    public Config {
      if (lowThresh > trackThresh) {
        throw new IllegalArgumentException(
            "low_thresh (" + lowThresh + ") must not be above track_thresh (" + trackThresh + ")");
      }
      if (minHits < 1 || trackBuffer < 0) {
        throw new IllegalArgumentException("min_hits must be >= 1 and track_buffer >= 0");
      }
    }
  }

  /**
   * One confirmed track on the current frame, box in source-frame pixels (the filter's estimate).
   *
   * @param age frames since the track's first detection, that frame included
   * @param hits frames on which a detection was matched to it
   * @param vx horizontal velocity of the box centre, pixels per frame
   * @param vy vertical velocity of the box centre, pixels per frame
   */
  public record Track(int trackId, String label, double score, double x, double y, double w, double h,
      int age, int hits, double vx, double vy) {}

  /**
   * What one frame did.
   *
   * @param tracks the confirmed tracks matched on the frame, oldest id first
   * @param started those of {@code tracks} confirmed on this frame (reported for the first time)
   * @param ended the confirmed tracks dropped on this frame (lost for more than {@code trackBuffer}
   *     frames), with the box, label and score they were last reported with
   */
  public record Update(List<Track> tracks, List<Track> started, List<Track> ended) {}

  private enum State { TENTATIVE, TRACKED, LOST }

  private static final class STrack {
    final KalmanBoxFilter filter;
    final int startFrame;
    final Map<String, int[]> votes = new HashMap<>(); // label -> {count, last frame seen}
    State state = State.TENTATIVE;
    int id; // 0 until confirmed
    int lastFrame;
    int hits;
    double score;
    String label = "";
    Track lastReported;

    STrack(Detection d, int frame) {
      filter = new KalmanBoxFilter(d.x() + d.w() / 2, d.y() + d.h() / 2, d.w(), d.h());
      startFrame = frame;
      record(d, frame);
    }

    void record(Detection d, int frame) {
      lastFrame = frame;
      hits++;
      score = d.score();
      int[] vote = votes.computeIfAbsent(d.label(), k -> new int[2]);
      vote[0]++;
      vote[1] = frame;
      int[] best = votes.get(label);
      if (best == null || vote[0] > best[0] || (vote[0] == best[0] && vote[1] >= best[1])) {
        label = d.label(); // majority; a tie goes to the latest
      }
    }

    void match(Detection d, int frame) {
      filter.update(d.x() + d.w() / 2, d.y() + d.h() / 2, d.w(), d.h());
      record(d, frame);
    }

    double[] box() {
      double w = filter.w();
      double h = filter.h();
      return new double[] {filter.cx() - w / 2, filter.cy() - h / 2, w, h};
    }
  }

  private final Config config;
  private final List<STrack> tracks = new ArrayList<>();
  private int frame;
  private int nextId = 1;
  private final List<STrack> startedNow = new ArrayList<>(); // confirmed during the current step

  public ByteTracker(Config config) {
    this.config = config;
  }

  /** Advances one frame; returns the confirmed tracks matched on it, oldest id first. */
  public List<Track> update(List<Detection> detections) {
    return step(detections).tracks();
  }

  /** Advances one frame; returns its tracks and the tracks it started and ended. */
  public Update step(List<Detection> detections) {
    frame++;
    startedNow.clear();
    List<Detection> high = new ArrayList<>();
    List<Detection> low = new ArrayList<>();
    for (Detection d : detections) {
      if (d.score() >= config.trackThresh()) {
        high.add(d);
      } else if (d.score() >= config.lowThresh()) {
        low.add(d);
      }
    }
    List<STrack> pool = new ArrayList<>();
    List<STrack> tentative = new ArrayList<>();
    for (STrack t : tracks) {
      t.filter.predict();
      (t.state == State.TENTATIVE ? tentative : pool).add(t);
    }

    // (1) confirmed tracks (tracked or lost) with high detections.
    List<Detection> highLeft = new ArrayList<>();
    List<STrack> poolLeft = new ArrayList<>();
    associate(pool, high, config.matchIou(), poolLeft, highLeft);

    // (2) tracks still tracked with low detections; the rest are lost.
    List<STrack> trackedLeft = new ArrayList<>();
    for (STrack t : poolLeft) {
      if (t.state == State.TRACKED) {
        trackedLeft.add(t);
      }
    }
    List<STrack> unmatched = new ArrayList<>();
    associate(trackedLeft, low, LOW_MATCH_IOU, unmatched, new ArrayList<>());
    for (STrack t : unmatched) {
      t.state = State.LOST;
    }

    // (3) tentative tracks with the high detections left; unmatched ones are dropped.
    List<STrack> tentativeLeft = new ArrayList<>();
    List<Detection> newDetections = new ArrayList<>();
    associate(tentative, highLeft, config.matchIou(), tentativeLeft, newDetections);
    tracks.removeAll(tentativeLeft);

    // (4) new tentative tracks.
    for (Detection d : newDetections) {
      if (d.score() >= config.newTrackThresh()) {
        STrack t = new STrack(d, frame);
        tracks.add(t);
        confirmIfDue(t);
      }
    }

    // (5) lost for too long.
    List<Track> ended = new ArrayList<>();
    tracks.removeIf(t -> {
      boolean drop = t.state == State.LOST && frame - t.lastFrame > config.trackBuffer();
      if (drop && t.lastReported != null) {
        ended.add(t.lastReported);
      }
      return drop;
    });

    List<Track> out = new ArrayList<>();
    List<Track> started = new ArrayList<>();
    for (STrack t : tracks) {
      if (t.state == State.TRACKED && t.lastFrame == frame) {
        double[] b = t.box();
        t.lastReported = new Track(t.id, t.label, t.score, b[0], b[1], b[2], b[3], frame - t.startFrame + 1, t.hits,
            t.filter.vx(), t.filter.vy());
        out.add(t.lastReported);
        if (startedNow.contains(t)) {
          started.add(t.lastReported);
        }
      }
    }
    Comparator<Track> byId = Comparator.comparingInt(Track::trackId);
    out.sort(byId);
    started.sort(byId);
    ended.sort(byId);
    return new Update(out, started, ended);
  }

  /**
   * Takes over {@code previous}'s tracks, frame count and next id (a live edit of the pipeline), so
   * tracks keep their ids and new ones continue the numbering; this tracker's config applies from now.
   * {@code previous} must not be used afterwards.
   */
  public void continueFrom(ByteTracker previous) {
    tracks.clear();
    tracks.addAll(previous.tracks);
    previous.tracks.clear();
    frame = previous.frame;
    nextId = previous.nextId;
  }

  /** Matches {@code ts} with {@code ds} by IoU; adds the unmatched ones of each side to the lists. */
  private void associate(List<STrack> ts, List<Detection> ds, double minIou, List<STrack> tracksLeft,
      List<Detection> detectionsLeft) {
    double maxCost = 1 - minIou;
    double[][] trackBoxes = new double[ts.size()][];
    for (int i = 0; i < ts.size(); i++) {
      trackBoxes[i] = ts.get(i).box();
    }
    List<Assignment.Pair> pairs = new ArrayList<>();
    Overlaps.IndexPair consider = (i, j) -> {
      Detection d = ds.get(j);
      boolean allowed = !config.classAware() || ts.get(i).label.equals(d.label());
      double cost = allowed ? 1 - iou(trackBoxes[i], d) : Double.NaN;
      if (cost <= maxCost) { // false for NaN
        pairs.add(new Assignment.Pair(i, j, cost));
      }
    };
    if (maxCost < 1) {
      // A pair passing the gate has IoU > 0, so its boxes overlap: only those are tested.
      double[][] detectionBoxes = new double[ds.size()][];
      for (int j = 0; j < ds.size(); j++) {
        Detection d = ds.get(j);
        detectionBoxes[j] = new double[] {d.x(), d.y(), d.w(), d.h()};
      }
      Overlaps.forEach(trackBoxes, detectionBoxes, consider);
    } else {
      for (int i = 0; i < ts.size(); i++) {
        for (int j = 0; j < ds.size(); j++) {
          consider.accept(i, j);
        }
      }
    }
    int[] match = Assignment.solve(ts.size(), ds.size(), pairs, maxCost);
    boolean[] used = new boolean[ds.size()];
    for (int i = 0; i < ts.size(); i++) {
      STrack t = ts.get(i);
      if (match[i] < 0) {
        tracksLeft.add(t);
        continue;
      }
      used[match[i]] = true;
      t.match(ds.get(match[i]), frame);
      if (t.state == State.LOST) {
        t.state = State.TRACKED;
      }
      confirmIfDue(t);
    }
    for (int j = 0; j < ds.size(); j++) {
      if (!used[j]) {
        detectionsLeft.add(ds.get(j));
      }
    }
  }

  private void confirmIfDue(STrack t) {
    if (t.state == State.TENTATIVE && t.hits >= config.minHits()) {
      t.state = State.TRACKED;
      t.id = nextId++;
      startedNow.add(t);
    }
  }

  static double iou(double[] b, Detection d) {
    double ix = Math.min(b[0] + b[2], d.x() + d.w()) - Math.max(b[0], d.x());
    double iy = Math.min(b[1] + b[3], d.y() + d.h()) - Math.max(b[1], d.y());
    if (ix <= 0 || iy <= 0) {
      return 0;
    }
    double inter = ix * iy;
    double union = b[2] * b[3] + d.w() * d.h() - inter;
    return union <= 0 ? 0 : inter / union;
  }
}
