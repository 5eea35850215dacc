package io.framewire.streaming;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code framewire.stream} settings of application.conf (see docs/configuration.md). */
public record StreamSettings(
    double dropThreshold,
    double slowdownThreshold,
    int maxFrameBytes,
    long maxFramePixels,
    int maxSessions,
    Duration frameTimeout,
    int dropWindow,
    List<String> allowedOrigins,
    Optional<String> authToken,
    Duration stallTimeout,
    Duration idleTimeout,
    Duration sessionStartTimeout) {

  public StreamSettings {
    if (!(dropThreshold >= 0 && dropThreshold <= 1) || !(slowdownThreshold >= 0 && slowdownThreshold <= 1)) {
      throw new IllegalArgumentException("drop and slow-down thresholds must be between 0 and 1");
    }
    if (maxFrameBytes <= 0 || maxFramePixels <= 0 || maxSessions <= 0 || dropWindow <= 0) {
      throw new IllegalArgumentException("frame size, pixel, session and window limits must be positive");
    }
    if (frameTimeout.isNegative() || frameTimeout.isZero()) {
      throw new IllegalArgumentException("frame timeout must be positive");
    }
    if (stallTimeout.isNegative() || stallTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()
        || sessionStartTimeout.isNegative() || sessionStartTimeout.isZero()) {
      throw new IllegalArgumentException("stall, idle and session start timeouts must be positive");
    }
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  public static StreamSettings fromConfig(Config root) {
    Config c = root.getConfig("framewire.stream");
    double maxMb = c.getDouble("max-frame-size-mb");
    if (!(maxMb > 0) || maxMb > 1024) {
      throw new IllegalArgumentException("framewire.stream.max-frame-size-mb must be in (0, 1024], got " + maxMb);
    }
    return new StreamSettings(
        c.getDouble("drop-threshold"),
        c.getDouble("slowdown-threshold"),
        (int) Math.round(maxMb * 1024 * 1024),
        c.getLong("max-frame-pixels"),
        c.getInt("max-sessions"),
        Duration.ofMillis(c.getLong("frame-timeout-ms")),
        c.getInt("drop-window"),
        Arrays.stream(c.getString("allowed-origins").split(","))
            .map(String::trim).filter(o -> !o.isEmpty()).toList(),
        Optional.of(c.getString("auth-token")).filter(t -> !t.isBlank()),
        Duration.ofMillis(c.getLong("stall-timeout-ms")),
        Duration.ofMillis(c.getLong("idle-timeout-ms")),
        Duration.ofMillis(c.getLong("session-start-timeout-ms")));
  }
}
