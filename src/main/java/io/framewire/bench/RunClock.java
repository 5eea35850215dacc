package io.framewire.bench;

import java.time.Duration;

/**
 * The run's time line, in {@link System#nanoTime()}: warm-up, then the measured window. A frame
 * belongs to the window in which it was sent; its answer is counted even if it arrives later.
 */
record RunClock(long start, long measureStart, long measureEnd) {

  static RunClock startingNow(Duration warmup, Duration duration) {
    long now = System.nanoTime();
    long measureStart = now + warmup.toNanos();
    return new RunClock(now, measureStart, measureStart + duration.toNanos());
  }

  long now() {
    return System.nanoTime();
  }

  boolean isMeasured(long t) {
    return t >= measureStart && t < measureEnd;
  }

  /** Which fifth (0..4) of the measured window {@code t} falls in. */
  int fifthOf(long t) {
    long span = measureEnd - measureStart;
    int fifth = (int) ((t - measureStart) * SessionStats.FIFTHS / span);
    return Math.max(0, Math.min(SessionStats.FIFTHS - 1, fifth));
  }
}
