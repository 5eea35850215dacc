package io.framewire.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 saw {@code LightArrayRevolverScheduler$TaskHolder}s (pekko's scheduled timers) grow in a
 * soak. With {@link TimerCountingScheduler} this test counts the timers that stay pending (neither
 * run nor cancelled) after sessions connect, stream and leave, and while one session streams: they
 * must not grow with the number of connections or frames. A frame schedules no timer at all on
 * framewire's WebSocket layer (pekko-http's message layer scheduled about four per frame: a
 * keep-alive re-armed per message and two sub-stream subscription timeouts, each cancelled at once
 * but left in pekko's wheel for up to one turn, docs/operations.md, "Scheduler timers").
 */
class SchedulerTimersTest {

  static final byte[] JPEG = TestJpegs.solid(64, 48, Color.BLUE);
  static TestServer server;
  static TimerCountingScheduler timers;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of(
        "pekko.scheduler.implementation", TimerCountingScheduler.class.getName(),
        // pekko-http delays a connection's final cancellation by the linger timeout (1 min by
        // default, one pending timer per ended connection that runs out by itself); short here so
        // that what is left afterwards is only what never ends.
        "pekko.http.server.linger-timeout", "1 s"));
    timers = (TimerCountingScheduler) server.server.system().classicSystem().scheduler();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void connectionsThatComeAndGoLeaveNoTimersPending() {
    connectStreamLeave(10);
    int afterFirst = settledPending();
    connectStreamLeave(20);
    int afterSecond = settledPending();
    System.out.println("pending after 10 connections: " + afterFirst + ", after 30: " + afterSecond
        + "; by origin: " + timers.pending());
    System.out.println("scheduled so far by origin: " + timers.scheduled());
    assertTrue(afterSecond - afterFirst < 5,
        "20 more connections left " + (afterSecond - afterFirst) + " more timers pending: " + timers.pending());
  }

  @Test
  void framesLeaveNoTimersPending() {
    try (WsTestClient client = server.stream("echo")) {
      stream(client, 100);
      int after100 = timers.pendingTotal();
      long scheduledAt100 = timers.scheduled().values().stream().mapToLong(Long::longValue).sum();
      stream(client, 300);
      int after400 = timers.pendingTotal();
      long scheduledAt400 = timers.scheduled().values().stream().mapToLong(Long::longValue).sum();
      System.out.println("one session: pending after 100 frames " + after100 + ", after 400 " + after400
          + "; timers scheduled for those 300 frames: " + (scheduledAt400 - scheduledAt100)
          + "; by origin: " + timers.scheduled());
      assertTrue(after400 - after100 < 10,
          "300 more frames left " + (after400 - after100) + " more timers pending: " + timers.pending());
      // Connection-level periodic timers may tick meanwhile; per-frame timers would be hundreds.
      assertTrue(scheduledAt400 - scheduledAt100 < 30,
          "300 frames scheduled " + (scheduledAt400 - scheduledAt100) + " timers: " + timers.scheduled());
    }
  }

  private static void stream(WsTestClient client, int frames) {
    for (int i = 0; i < frames; i++) {
      client.sendBinary(JPEG);
      WsTestClient.Answer answer = client.nextAnswer();
      assertTrue(answer.isResult(), answer.json().toString());
    }
  }

  private static void connectStreamLeave(int connections) {
    for (int c = 0; c < connections; c++) {
      try (WsTestClient client = server.stream("echo")) {
        stream(client, 5);
        client.closeNormally();
        assertEquals(1000, client.awaitClose().code());
      }
    }
  }

  /** Pending timers once every session and connection has ended and pekko's own lingering timers ran out. */
  private static int settledPending() {
    TestServer.await("sessions end", () -> server.activeSessions() == 0);
    TestServer.await("connections close", () -> server.server.metrics().connectionsOpen.get() == 0);
    // Polls for the count to stop falling (the 1 s linger timers and 500 ms close graces run out).
    int[] last = {Integer.MAX_VALUE};
    long[] stableSince = {System.nanoTime()};
    TestServer.await("pending timers settle", () -> {
      int now = timers.pendingTotal();
      if (now < last[0]) {
        last[0] = now;
        stableSince[0] = System.nanoTime();
        return false;
      }
      return System.nanoTime() - stableSince[0] > 3_000_000_000L;
    });
    return last[0];
  }
}
