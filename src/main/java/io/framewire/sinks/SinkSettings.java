package io.framewire.sinks;

import java.time.Duration;

/**
 * How every sink runs ({@code framewire.sinks.*}, docs/configuration.md).
 *
 * @param pollInterval how often an idle sink (caught up with the log) looks for new events
 * @param batchSize events read from the log at once; the position is committed after each batch
 * @param minBackoff wait before the first retry of a target that failed; doubles per failure in a row
 * @param maxBackoff the longest wait between retries
 * @param publishTimeout a publish (connect included) not acknowledged within this fails and is retried
 * @param maxInFlight events an MQTT or Kafka sink sends before the first one's acknowledgement
 * @param linger how long a caught-up sink woken by newly stored events waits before reading them, so
 *     that the events of several commits go out in one batch; zero reads at once
 */
public record SinkSettings(
    Duration pollInterval, int batchSize, Duration minBackoff, Duration maxBackoff, Duration publishTimeout,
    int maxInFlight, Duration linger) {

  /** With the default {@link #maxInFlight} and no linger. */
  public SinkSettings(Duration pollInterval, int batchSize, Duration minBackoff, Duration maxBackoff, Duration publishTimeout) {
    this(pollInterval, batchSize, minBackoff, maxBackoff, publishTimeout, DEFAULT_MAX_IN_FLIGHT, Duration.ZERO);
  }

  /** With no linger. */
  public SinkSettings(Duration pollInterval, int batchSize, Duration minBackoff, Duration maxBackoff, Duration publishTimeout,
      int maxInFlight) {
    this(pollInterval, batchSize, minBackoff, maxBackoff, publishTimeout, maxInFlight, Duration.ZERO);
  }

  private static final int DEFAULT_MAX_IN_FLIGHT = 10;

  public SinkSettings {
    positive("framewire.sinks.poll-interval-ms", pollInterval);
    positive("framewire.sinks.min-backoff-ms", minBackoff);
    positive("framewire.sinks.publish-timeout-ms", publishTimeout);
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("framewire.sinks.max-backoff-ms must be >= framewire.sinks.min-backoff-ms, got "
          + maxBackoff.toMillis());
    }
    if (maxInFlight < 1 || maxInFlight > 1_000) {
      throw new IllegalArgumentException("framewire.sinks.max-in-flight must be in [1, 1000], got " + maxInFlight);
    }
    if (linger.isNegative() || linger.compareTo(pollInterval) > 0) {
      throw new IllegalArgumentException("framewire.sinks.linger-ms must be in [0, framewire.sinks.poll-interval-ms], got "
          + linger.toMillis());
    }
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("framewire.sinks.batch-size must be in [1, 10000], got " + batchSize);
    }
  }

  /** The defaults of reference.conf. */
  public static SinkSettings defaults() {
    return new SinkSettings(Duration.ofMillis(1000), 100, Duration.ofMillis(500), Duration.ofSeconds(30),
        Duration.ofSeconds(10), DEFAULT_MAX_IN_FLIGHT, Duration.ofMillis(200));
  }

  /** The wait before retry number {@code failures} (1 for the first): doubling from the minimum, capped. */
  public Duration backoff(int failures) {
    long millis = minBackoff.toMillis();
    for (int i = 1; i < failures && millis < maxBackoff.toMillis(); i++) {
      millis *= 2;
    }
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }

  private static void positive(String key, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(key + " must be > 0, got " + value.toMillis());
    }
  }
}
