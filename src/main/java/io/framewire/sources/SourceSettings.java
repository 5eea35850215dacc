package io.framewire.sources;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code framewire.sources} settings (docs/configuration.md), read by {@code
 * io.framewire.settings.FramewireSettings}.
 *
 * @param max most live sources at once ({@code SOURCES_MAX})
 * @param stateDir where {@code sources.json} keeps the sources across restarts; empty: not kept
 * @param minBackoff first wait before reconnecting a lost source; doubles per failed attempt
 * @param maxBackoff the longest wait between attempts
 * @param maxAttempts failed attempts in a row after which a source is {@code failed}; 0: never give up
 * @param ioTimeout a connect or read of the camera that waits this long fails (the source reconnects)
 * @param frameTimeout a pipeline run that takes longer is a pipeline failure
 * @param watcherBuffer answers a watcher may lag behind; beyond it its oldest are dropped
 * @param watcherStallTimeout a watcher that reads nothing for this long is disconnected
 * @param rtspTransport {@code tcp} or {@code udp} for rtsp:// sources
 */
public record SourceSettings(
    int max,
    Optional<Path> stateDir,
    Duration minBackoff,
    Duration maxBackoff,
    int maxAttempts,
    Duration ioTimeout,
    Duration frameTimeout,
    int watcherBuffer,
    Duration watcherStallTimeout,
    String rtspTransport) {

  public SourceSettings {
    if (max < 0) {
      throw new IllegalArgumentException("framewire.sources.max must not be negative");
    }
    if (minBackoff.isNegative() || minBackoff.isZero() || maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("framewire.sources.reconnect: 0 < min-backoff-ms <= max-backoff-ms");
    }
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("framewire.sources.reconnect.max-attempts must not be negative");
    }
    if (watcherBuffer < 1) {
      throw new IllegalArgumentException("framewire.sources.watcher-buffer must be at least 1");
    }
    if (ioTimeout.isNegative() || ioTimeout.isZero()) {
      throw new IllegalArgumentException("framewire.sources.io-timeout-ms must be positive");
    }
    if (!rtspTransport.equals("tcp") && !rtspTransport.equals("udp")) {
      throw new IllegalArgumentException("framewire.sources.rtsp-transport must be tcp or udp, got '" + rtspTransport + "'");
    }
  }

  /** The wait before reconnect attempt {@code failures} (1 = after the first failure): doubling, capped. */
  public Duration backoff(int failures) {
    long millis = minBackoff.toMillis();
    for (int i = 1; i < failures && millis < maxBackoff.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
