package io.framewire.streaming;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code framewire.stream} settings (docs/configuration.md), read by {@code
 * io.framewire.settings.FramewireSettings}. Each check names the key it guards.
 *
 * @param managerAskTimeout how long a new connection (and {@code /health}) waits for the SessionManager
 * @param webSocketLayer the message layer of {@code /ws/video/stream}: {@code framewire} or {@code pekko}
 */
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
    Duration sessionStartTimeout,
    Duration managerAskTimeout,
    String webSocketLayer) {

  /** The largest frame limit accepted: 1 GiB. */
  public static final int MAX_FRAME_BYTES_LIMIT = 1 << 30;

  public StreamSettings {
    fraction("framewire.stream.drop-threshold", dropThreshold);
    fraction("framewire.stream.slowdown-threshold", slowdownThreshold);
    if (maxFrameBytes <= 0 || maxFrameBytes > MAX_FRAME_BYTES_LIMIT) {
      throw new IllegalArgumentException("framewire.stream.max-frame-size-mb must be in (0, 1024], got "
          + maxFrameBytes / (1024.0 * 1024) + " MiB");
    }
    positive("framewire.stream.max-frame-pixels", maxFramePixels);
    positive("framewire.stream.max-sessions", maxSessions);
    positive("framewire.stream.drop-window", dropWindow);
    positive("framewire.stream.frame-timeout-ms", frameTimeout);
    positive("framewire.stream.stall-timeout-ms", stallTimeout);
    positive("framewire.stream.idle-timeout-ms", idleTimeout);
    positive("framewire.stream.session-start-timeout-ms", sessionStartTimeout);
    positive("framewire.stream.manager-ask-timeout-ms", managerAskTimeout);
    webSocketLayer = webSocketLayer.trim().toLowerCase(Locale.ROOT);
    if (!webSocketLayer.equals("framewire") && !webSocketLayer.equals("pekko")) {
      throw new IllegalArgumentException(
          "framewire.stream.websocket-layer must be framewire or pekko, got '" + webSocketLayer + "'");
    }
    allowedOrigins = List.copyOf(allowedOrigins);
  }

  private static void fraction(String key, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(key + " must be between 0 and 1, got " + value);
    }
  }

  private static void positive(String key, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(key + " must be positive, got " + value);
    }
  }

  private static void positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be positive, got " + value.toMillis());
    }
  }
}
