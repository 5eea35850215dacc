package io.framewire.streaming;

import java.util.Optional;

/**
 * The throttle state of one session: a drop rate over the last {@code window} frames, a smoothed
 * server-side processing time, and the normal / warning / critical state derived from them.
 *
 * <p>It says {@code slow_down} once per overload episode: when the session first becomes critical,
 * and again only after it has recovered to normal. Not thread-safe: owned by the session actor.
 */
public final class BackpressurePolicy {

  public enum State { NORMAL, WARNING, CRITICAL }

  /** Weight of the newest processing time in the moving average. */
  private static final double SMOOTHING = 0.2;
  /** No verdict on fewer frames: two frames with one drop is not yet a 50% drop rate. */
  private static final int MIN_SAMPLES = 10;
  /** Upper bound of an advertised rate, for pipelines too fast to measure meaningfully. */
  static final double MAX_ADVERTISED_FPS = 120;

  private final double dropThreshold;
  private final double slowdownThreshold;
  private final boolean[] window;
  private int next;
  private int filled;
  private int dropsInWindow;

  private double smoothedMs = Double.NaN;
  private State state = State.NORMAL;
  private boolean signalledThisEpisode;
  private long processed;
  private long dropped;
  private long slowdowns;

  public BackpressurePolicy(double dropThreshold, double slowdownThreshold, int window) {
    if (window <= 0) {
      throw new IllegalArgumentException("window must be positive");
    }
    this.dropThreshold = dropThreshold;
    this.slowdownThreshold = slowdownThreshold;
    this.window = new boolean[window];
  }

  public static BackpressurePolicy of(StreamSettings settings) {
    return new BackpressurePolicy(settings.dropThreshold(), settings.slowdownThreshold(), settings.dropWindow());
  }

  /**
   * Records one pipeline run and the frames that were superseded (dropped) while waiting for it.
   *
   * @param droppedFrames frames answered {@code dropped} before this run's frame
   * @param processingMs server-side time of the run, from just before the pipeline call to its result
   * @return the slow-down signal to send, if this batch started an overload episode
   */
  public Optional<Answer.SlowDown> onFramesDone(int droppedFrames, double processingMs) {
    for (int i = 0; i < droppedFrames; i++) {
      record(true);
    }
    record(false);
    processed++;
    dropped += droppedFrames;
    smoothedMs = Double.isNaN(smoothedMs) ? processingMs : smoothedMs + SMOOTHING * (processingMs - smoothedMs);
    return updateState();
  }

  /** Frames dropped with no run after them (the session ended while they waited). */
  public void onDroppedOnly(int droppedFrames) {
    for (int i = 0; i < droppedFrames; i++) {
      record(true);
    }
    dropped += droppedFrames;
  }

  /**
   * Frames dropped with no run: the last was refused by a busy model. They count in the drop rate
   * like superseded frames, so a session a busy model keeps refusing is told to slow down.
   *
   * @return the slow-down signal to send, if these drops started an overload episode
   */
  public Optional<Answer.SlowDown> onFramesShed(int droppedFrames) {
    onDroppedOnly(droppedFrames);
    return updateState();
  }

  private void record(boolean drop) {
    if (filled == window.length) {
      if (window[next]) {
        dropsInWindow--;
      }
    } else {
      filled++;
    }
    window[next] = drop;
    if (drop) {
      dropsInWindow++;
    }
    next = (next + 1) % window.length;
  }

  private Optional<Answer.SlowDown> updateState() {
    double rate = dropRate();
    if (filled < Math.min(MIN_SAMPLES, window.length)) {
      state = State.NORMAL;
    } else if (rate > slowdownThreshold) {
      state = State.CRITICAL;
    } else if (rate > dropThreshold) {
      state = State.WARNING;
    } else {
      state = State.NORMAL;
    }
    if (state == State.NORMAL) {
      signalledThisEpisode = false; // recovered: the next overload is a new episode
      return Optional.empty();
    }
    if (state == State.CRITICAL && !signalledThisEpisode) {
      signalledThisEpisode = true;
      slowdowns++;
      return Optional.of(new Answer.SlowDown(sustainableFps(), Math.round(rate * 1000) / 1000.0));
    }
    return Optional.empty();
  }

  /** The frame rate the pipeline sustains at its smoothed processing time, at least 1. */
  public double sustainableFps() {
    if (Double.isNaN(smoothedMs) || smoothedMs <= 0) {
      return MAX_ADVERTISED_FPS;
    }
    return Math.max(1, Math.min(MAX_ADVERTISED_FPS, Math.floor(1000.0 / smoothedMs)));
  }

  public double dropRate() {
    return filled == 0 ? 0 : (double) dropsInWindow / filled;
  }

  public State state() {
    return state;
  }

  public double smoothedProcessingMs() {
    return smoothedMs;
  }

  public long processed() {
    return processed;
  }

  public long dropped() {
    return dropped;
  }

  public long slowdowns() {
    return slowdowns;
  }
}
