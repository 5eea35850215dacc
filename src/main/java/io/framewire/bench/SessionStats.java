package io.framewire.bench;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * Counters and latency histograms of the measured window (frames sent in it, and their answers);
 * slow_down warnings and errors are counted over the whole run, warm-up included, because they
 * come once per episode or end the session. One instance per session (so sessions
 * never contend on a lock) and one merged instance for the report. Latencies are in microseconds.
 */
final class SessionStats {

  static final int FIFTHS = 5;

  long framesSent;
  long results;
  long dropped;
  long slowDowns;
  long unanswered;
  /** Error messages and failures, by code; connect failures are here too. */
  final Map<String, Long> errors = new TreeMap<>();
  final Histogram latency = newHistogram();
  /** Result latency by the fifth of the measured window in which the frame was sent. */
  final Histogram[] byFifth = new Histogram[FIFTHS];

  SessionStats() {
    for (int i = 0; i < FIFTHS; i++) {
      byFifth[i] = newHistogram();
    }
  }

  private static Histogram newHistogram() {
    // Auto-resizing, 3 significant digits: 0.1% resolution from 1 µs up to any latency.
    Histogram h = new Histogram(3);
    h.setAutoResize(true);
    return h;
  }

  void recordResult(long latencyMicros, int fifth) {
    results++;
    long v = Math.max(1, latencyMicros);
    latency.recordValue(v);
    byFifth[fifth].recordValue(v);
  }

  void error(String code) {
    errors.merge(code, 1L, Long::sum);
  }

  long errorCount() {
    return errors.values().stream().mapToLong(Long::longValue).sum();
  }

  void add(SessionStats other) {
    framesSent += other.framesSent;
    results += other.results;
    dropped += other.dropped;
    slowDowns += other.slowDowns;
    unanswered += other.unanswered;
    other.errors.forEach((code, n) -> errors.merge(code, n, Long::sum));
    latency.add(other.latency);
    for (int i = 0; i < FIFTHS; i++) {
      byFifth[i].add(other.byFifth[i]);
    }
  }
}
