package io.framewire.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
