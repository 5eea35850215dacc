package io.framewire.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.framewire.testing.RawWsClient;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of sessions opened and dropped every way a client can leave: a clean close, a TCP reset
 * right after a frame (often while it runs), a reset in the middle of a message, a reset before any
 * frame. Afterwards no session, no session actor and no stateful tool instance is left.
 */
class ChurnTest {

  static final byte[] JPEG = TestJpegs.solid(32, 24, Color.GREEN);
  static final int SESSIONS = 400;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("framewire.stream.max-sessions", 64));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static void oneSession(int i) throws Exception {
    String path = "/ws/video/stream?pipeline_id=counting";
    switch (i % 4) {
      case 0 -> {
        try (WsTestClient client = server.stream("counting")) {
          client.sendBinary(JPEG);
          assertEquals(1, client.next().at("/result/frames_seen").asInt());
          client.closeNormally();
          assertEquals(1000, client.awaitClose().code());
        }
      }
      case 1 -> {
        WsTestClient client = server.stream("counting");
        client.sendBinary(JPEG);
        client.abort();
      }
      case 2 -> {
        RawWsClient raw = RawWsClient.connect(server.port(), path, Map.of());
        assertEquals(101, raw.handshake.status());
        raw.sendPartial(5000, 1000); // a message cut in the middle
        raw.reset();
      }
      default -> {
        RawWsClient raw = RawWsClient.connect(server.port(), path, Map.of());
        raw.reset();
      }
    }
  }

  @Test
  void sessionsAndToolsReturnToZeroAfterChurn() throws Exception {
    double errorsBefore = server.server.metrics().errors.labels("internal_error").get();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < SESSIONS; i++) {
        int n = i;
        runs.add(pool.submit(() -> {
          oneSession(n);
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(); // rethrows a failed session's assertion
      }
    } finally {
      pool.shutdownNow();
    }
    TestServer.await("sessions return to zero", () -> server.activeSessions() == 0);
    TestServer.await("the gauge returns to zero", () -> server.server.metrics().sessionsActive.get() == 0);
    TestServer.await("stateful tools closed", () -> server.server.dag().openStatefulTools() == 0);
    assertEquals(errorsBefore, server.server.metrics().errors.labels("internal_error").get(),
        "leaving clients are not server errors");
    try (WsTestClient after = server.stream("counting")) {
      after.sendBinary(JPEG);
      assertEquals(1, after.next().at("/result/frames_seen").asInt(), "the server still serves, fresh tools");
    }
  }
}
