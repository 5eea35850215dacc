package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Structured log events (checked with LoggingTestKit) and the Prometheus metrics at /metrics. */
class LoggingAndMetricsTest {

  TestServer server;
  static final byte[] JPEG = TestJpegs.solid(16, 16, Color.ORANGE);

  @BeforeEach
  void start() {
    server = TestServer.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void connectAndDisconnectAreLoggedWithSessionAndPipeline() {
    LoggingTestKit.info("session opened")
        .withMdc(Map.of("event_type", "stream_connect", "pipeline_id", "echo"))
        .withCustom(event -> event.getMdc().containsKey("session_id"))
        .expect(server.server.system(), () -> {
          WsTestClient client = server.stream("echo");
          client.sendBinary(JPEG);
          client.next();
          LoggingTestKit.info("session closed")
              .withMdc(Map.of("event_type", "stream_disconnect", "pipeline_id", "echo",
                  "frames_processed", "1", "frames_dropped", "0"))
              .expect(server.server.system(), () -> {
                client.closeNormally();
                return client.awaitClose();
              });
          return null;
        });
  }

  @Test
  void slowDownPipelineErrorsAndOtherErrorsAreLogged() throws Exception {
    LoggingTestKit.info("slow_down sent")
        .withMdc(Map.of("event_type", "stream_slow_down", "pipeline_id", "gated"))
        .expect(server.server.system(), () -> {
          try (WsTestClient client = server.stream("gated")) {
            server.sendWhilePipelineHeld(client, JPEG, 10);
            return client.next(11); // 10 frame answers and the warning
          }
        });

    LoggingTestKit.warn("session error pipeline_failure")
        .withMdc(Map.of("event_type", "stream_pipeline_error", "pipeline_id", "failing", "error", "pipeline_failure"))
        .expect(server.server.system(), () -> {
          try (WsTestClient client = server.stream("failing")) {
            client.sendBinary(JPEG);
            return client.next();
          }
        });

    LoggingTestKit.warn("session error invalid_frame")
        .withMdc(Map.of("event_type", "stream_error", "pipeline_id", "echo", "error", "invalid_frame"))
        .expect(server.server.system(), () -> {
          try (WsTestClient client = server.stream("echo")) {
            client.sendBinary(new byte[] {1, 2, 3});
            return client.next();
          }
        });
  }

  @Test
  void metricsCountFramesDropsSlowdownsErrorsAndSessions() throws Exception {
    try (WsTestClient client = server.stream("gated")) {
      server.sendWhilePipelineHeld(client, JPEG, 10);
      client.next(11);
      String during = scrape();
      assertEquals(1.0, value(during, "stream_sessions_active"));
    }
    try (WsTestClient client = server.stream("echo")) {
      client.sendText("hello");
      client.next();
    }
    TestServer.await("sessions closed", () -> server.activeSessions() == 0);

    String metrics = scrape();
    assertEquals(10.0, value(metrics, "stream_frames_received_total"));
    assertEquals(2.0, value(metrics, "stream_frames_processed_total"));
    assertEquals(8.0, value(metrics, "stream_frames_dropped_total"));
    assertEquals(1.0, value(metrics, "stream_slowdown_signals_total"));
    assertEquals(1.0, value(metrics, "stream_errors_total{error=\"invalid_message\",}"));
    assertEquals(0.0, value(metrics, "stream_sessions_active"));
    assertEquals(2.0, value(metrics, "stream_frame_processing_seconds_count"));
    assertTrue(metrics.contains("jvm_memory_bytes_used"), "JVM collectors are exported");
  }

  private String scrape() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
    return response.body();
  }

  private static double value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    if (!m.find()) {
      throw new AssertionError("no series " + series + " in\n" + metrics);
    }
    return Double.parseDouble(m.group(1));
  }
}
