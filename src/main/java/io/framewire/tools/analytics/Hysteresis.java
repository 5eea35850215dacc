package io.framewire.tools.analytics;

/**
 * Which side of a line (or of a zone's edge) one track is on, with hysteresis: an observation counts
 * only when the anchor is at least {@code min_distance} from the line, and the side changes only
 * after {@code min_frames} such observations in a row on the new side. An observation within the
 * band, or on the other side, starts the streak again, so jitter across the line changes nothing.
 *
 * <p>Sides are {@code -1} and {@code +1} (left/right of a line, outside/inside a zone); {@code 0}
 * until the track is first seen outside the band, which sets its side at once (there is nothing to
 * confirm: it is where the track started, not a change).
 */
final class Hysteresis {

  /** What one observation did. */
  enum Change { NONE, FIRST, CHANGED }

  private int side;
  private int candidate;
  private int streak;
  private long streakStart;

  /** The settled side: -1, +1, or 0 while unknown. */
  int side() {
    return side;
  }

  /** The frame time of the first observation of the streak that settled the current side. */
  long since() {
    return streakStart;
  }

  /**
   * Feeds one frame's observation.
   *
   * @param observed -1 or +1 when the anchor is on that side and at least min_distance from the line,
   *     0 when it is within the band
   * @param millis the frame's time
   */
  Change observe(int observed, long millis, int minFrames) {
    if (observed == 0 || observed == side) {
      candidate = 0;
      streak = 0;
      return Change.NONE;
    }
    if (observed != candidate) {
      candidate = observed;
      streak = 0;
      streakStart = millis;
    }
    streak++;
    if (side == 0) {
      side = observed;
      candidate = 0;
      streak = 0;
      return Change.FIRST;
    }
    if (streak >= minFrames) {
      side = observed;
      candidate = 0;
      streak = 0;
      return Change.CHANGED;
    }
    return Change.NONE;
  }
}
