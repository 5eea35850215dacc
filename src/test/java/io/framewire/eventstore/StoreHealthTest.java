package io.framewire.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A store fault is logged when it starts, once per interval while it lasts, and when it ends. */
class StoreHealthTest {

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(StoreHealth.class);

  @BeforeEach
  void capture() {
    lines.start();
    logger.addAppender(lines);
  }

  @AfterEach
  void release() {
    logger.detachAppender(lines);
  }

  @Test
  void aLongFaultWritesALineAMinuteNotOnePerAttempt() {
    AtomicLong now = new AtomicLong(1_000_000);
    StoreHealth health = new StoreHealth(Duration.ofSeconds(60), now::get);
    assertEquals(Map.of("status", "ok"), health.status().toJson());

    // Ten minutes of failures, one attempt every 5 s: 120 attempts.
    for (int i = 0; i < 120; i++) {
      health.failed("connection refused");
      now.addAndGet(5_000);
    }
    StoreHealth.Status status = health.status();
    assertEquals(Map.of("status", "failing", "since", 1_000_000L, "attempts", 120L, "detail", "connection refused"),
        status.toJson());
    List<String> warnings = lines.list.stream().filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(10, warnings.size(), String.join("\n", warnings)); // the first, then one a minute
    assertTrue(warnings.get(0).startsWith("event store: a write failed"), warnings.get(0));
    assertEquals("event store: still failing after 60 s (13 attempts): connection refused", warnings.get(1));

    health.succeeded();
    health.succeeded();
    assertTrue(health.status().ok());
    List<String> infos = lines.list.stream().filter(e -> e.getLevel() == Level.INFO)
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertEquals(List.of("event store: writing again after 600 s of failures (120 attempts)"), infos);
  }
}
