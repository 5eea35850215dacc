package io.framewire.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** The numbers of one run, as text for people or JSON for scripts. Latencies in milliseconds. */
public record LoadReport(
    String url,
    int sessions,
    int sessionsConnected,
    int connectFailures,
    String mode,
    double fps,
    double warmupSeconds,
    double durationSeconds,
    double measuredSeconds,
    int jpegBytes,
    long framesSent,
    long results,
    long dropped,
    long unanswered,
    long slowDownWarnings,
    long errors,
    Map<String, Long> errorsByCode,
    double resultsPerSecond,
    Latency latency,
    double[] p99ByFifthMs) {

  /** Result latency percentiles in milliseconds; all zero when there was no result. */
  public record Latency(long count, double p50, double p95, double p99, double max, double mean) {
    static Latency of(Histogram h) {
      if (h.getTotalCount() == 0) {
        return new Latency(0, 0, 0, 0, 0, 0);
      }
      return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)),
          ms(h.getValueAtPercentile(95)), ms(h.getValueAtPercentile(99)), ms(h.getMaxValue()),
          h.getMean() / 1000.0);
    }
  }

  static LoadReport of(LoadOptions o, int jpegBytes, SessionStats s, double measuredSeconds,
      int connectFailures, int connected) {
    double[] fifths = new double[SessionStats.FIFTHS];
    for (int i = 0; i < fifths.length; i++) {
      Histogram h = s.byFifth[i];
      fifths[i] = h.getTotalCount() == 0 ? 0 : ms(h.getValueAtPercentile(99));
    }
    return new LoadReport(o.url().toString(), o.sessions(), connected, connectFailures,
        o.closedLoop() ? "closed-loop" : "fixed-rate", o.fps(), o.warmup().toMillis() / 1000.0,
        o.duration().toMillis() / 1000.0, measuredSeconds, jpegBytes, s.framesSent, s.results,
        s.dropped, s.unanswered, s.slowDowns, s.errorCount(), new TreeMap<>(s.errors),
        measuredSeconds > 0 ? s.results / measuredSeconds : 0, Latency.of(s.latency), fifths);
  }

  private static double ms(long micros) {
    return micros / 1000.0;
  }

  public double p99FirstFifthMs() {
    return p99ByFifthMs[0];
  }

  public double p99LastFifthMs() {
    return p99ByFifthMs[SessionStats.FIFTHS - 1];
  }

  public String toJson() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("url", url);
    root.put("sessions", sessions);
    root.put("sessions_connected", sessionsConnected);
    root.put("connect_failures", connectFailures);
    root.put("mode", mode);
    root.put("fps_per_session", fps);
    root.put("warmup_s", warmupSeconds);
    root.put("duration_s", durationSeconds);
    root.put("measured_s", measuredSeconds);
    root.put("jpeg_bytes", jpegBytes);
    root.put("frames_sent", framesSent);
    root.put("results", results);
    root.put("dropped", dropped);
    root.put("unanswered", unanswered);
    root.put("slow_down_warnings", slowDownWarnings);
    root.put("errors", errors);
    ObjectNode byCode = root.putObject("errors_by_code");
    errorsByCode.forEach(byCode::put);
    root.put("results_per_s", resultsPerSecond);
    ObjectNode lat = root.putObject("latency_ms");
    lat.put("count", latency.count());
    lat.put("p50", latency.p50());
    lat.put("p95", latency.p95());
    lat.put("p99", latency.p99());
    lat.put("max", latency.max());
    lat.put("mean", latency.mean());
    root.put("p99_first_fifth_ms", p99FirstFifthMs());
    root.put("p99_last_fifth_ms", p99LastFifthMs());
    var fifths = root.putArray("p99_by_fifth_ms");
    for (double f : p99ByFifthMs) {
      fifths.add(f);
    }
    return root.toString();
  }

  public String toText() {
    StringBuilder b = new StringBuilder();
    String rate = mode.equals("closed-loop") ? "closed loop" : String.format(Locale.ROOT, "%.1f fps per session", fps);
    b.append(String.format(Locale.ROOT, "framewire bench: %d session(s), %s, %.1f s measured after %.1f s warm-up%n",
        sessions, rate, measuredSeconds, warmupSeconds));
    b.append("url:                ").append(url).append('\n');
    b.append(String.format(Locale.ROOT, "jpeg:               %d bytes%n", jpegBytes));
    if (connectFailures > 0) {
      b.append(String.format(Locale.ROOT, "connect failures:   %d of %d%n", connectFailures, sessions));
    }
    b.append(String.format(Locale.ROOT, "frames sent:        %d%n", framesSent));
    b.append(String.format(Locale.ROOT, "results:            %d%n", results));
    b.append(String.format(Locale.ROOT, "dropped:            %d%n", dropped));
    b.append(String.format(Locale.ROOT, "unanswered:         %d%n", unanswered));
    b.append(String.format(Locale.ROOT, "slow_down warnings: %d%n", slowDownWarnings));
    b.append(String.format(Locale.ROOT, "errors:             %d%s%n", errors,
        errorsByCode.isEmpty() ? "" : " " + errorsByCode));
    b.append(String.format(Locale.ROOT, "results/s:          %.1f%n", resultsPerSecond));
    b.append(String.format(Locale.ROOT,
        "latency ms:         p50 %.3f  p95 %.3f  p99 %.3f  max %.3f%n",
        latency.p50(), latency.p95(), latency.p99(), latency.max()));
    b.append(String.format(Locale.ROOT, "p99 by fifth ms:    first %.3f  last %.3f  (all: %s)%n",
        p99FirstFifthMs(), p99LastFifthMs(), fifthsText()));
    return b.toString();
  }

  private String fifthsText() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < p99ByFifthMs.length; i++) {
      b.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.3f", p99ByFifthMs[i]));
    }
    return b.toString();
  }
}
