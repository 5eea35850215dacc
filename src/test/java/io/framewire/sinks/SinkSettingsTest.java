package io.framewire.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SinkSettingsTest {

  @Test
  void theBackoffDoublesFromTheMinimumUpToTheCap() {
    SinkSettings settings = new SinkSettings(
        Duration.ofMillis(200), 100, Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(10));
    assertEquals(List.of(500L, 1000L, 2000L, 4000L, 5000L, 5000L),
        IntStream.of(1, 2, 3, 4, 5, 60).mapToObj(n -> settings.backoff(n).toMillis()).toList());
  }

  @Test
  void aLingerLongerThanThePollIntervalIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new SinkSettings(Duration.ofMillis(100), 10, Duration.ofMillis(50), Duration.ofMillis(200),
            Duration.ofSeconds(2), 10, Duration.ofMillis(101)));
    assertTrue(e.getMessage().startsWith("framewire.sinks.linger-ms must be in [0, framewire.sinks.poll-interval-ms]"),
        e.getMessage());
  }
}
