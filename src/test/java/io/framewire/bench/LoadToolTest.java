package io.framewire.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load tool end to end, against in-process servers on 127.0.0.1. */
@Timeout(60)
class LoadToolTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static BareEchoServer echo;

  @BeforeAll
  static void startEcho() {
    echo = BareEchoServer.start("127.0.0.1", 0);
  }

  @AfterAll
  static void stopEcho() {
    echo.close();
  }

  private static String echoUrl() {
    return "ws://127.0.0.1:" + echo.port() + "/ws/video/stream?pipeline_id=echo";
  }

  /** Exit code, stdout and stderr of one run. */
  record Run(int exit, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = LoadTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void closedLoopAgainstBareEchoServerAnswersEveryFrame() throws Exception {
    Run run = run("--url", echoUrl(), "--sessions", "2", "--duration", "1s", "--warmup", "200ms",
        "--jpeg-kb", "4", "--json");
    assertEquals(LoadTool.OK, run.exit(), run.err());
    JsonNode r = run.json();
    assertEquals(2, r.get("sessions_connected").asInt());
    assertEquals("closed-loop", r.get("mode").asText());
    long sent = r.get("frames_sent").asLong();
    assertTrue(sent > 10, "a closed loop on loopback sends many frames in 1 s: " + sent);
    assertEquals(sent, r.get("results").asLong());
    assertEquals(0, r.get("dropped").asLong());
    assertEquals(0, r.get("unanswered").asLong());
    assertEquals(0, r.get("errors").asLong());
    assertEquals(sent, r.get("latency_ms").get("count").asLong());
    double p50 = r.get("latency_ms").get("p50").asDouble();
    double p99 = r.get("latency_ms").get("p99").asDouble();
    assertTrue(p50 > 0 && p50 <= p99 && p99 <= r.get("latency_ms").get("max").asDouble());
    assertEquals(5, r.get("p99_by_fifth_ms").size());
    assertTrue(r.get("results_per_s").asDouble() > 0);
  }

  @Test
  void fixedRateSendsTheOfferedFramesPerSession() throws Exception {
    Run run = run("--url", echoUrl(), "--sessions", "2", "--fps", "20", "--duration", "1s",
        "--warmup", "0", "--jpeg-kb", "2", "--json");
    assertEquals(LoadTool.OK, run.exit(), run.err());
    JsonNode r = run.json();
    assertEquals("fixed-rate", r.get("mode").asText());
    long sent = r.get("frames_sent").asLong();
    // 2 sessions x 20 fps x 1 s; a late scheduler may lose a tick at the edges.
    assertTrue(sent >= 36 && sent <= 42, "frames sent: " + sent);
    assertEquals(sent, r.get("results").asLong());
    assertEquals(0, r.get("errors").asLong());
  }

  @Test
  void humanReadableReportByDefault() {
    Run run = run("--url", echoUrl(), "--duration", "300ms", "--warmup", "0", "--jpeg-kb", "2");
    assertEquals(LoadTool.OK, run.exit(), run.err());
    assertTrue(run.out().contains("frames sent:"), run.out());
    assertTrue(run.out().contains("results/s:"), run.out());
    assertTrue(run.out().contains("p99 by fifth ms:"), run.out());
  }

  @Test
  void countsDroppedWarningsAndErrorsFromTheServer() throws Exception {
    // Per session: 0 result, 1 dropped, 2 result + slow_down, 3 result, 4 dropped, 5 error + close.
    try (FakeStreamServer fake = new FakeStreamServer(i -> switch ((int) i) {
      case 1, 4 -> List.of("{\"frame_index\":" + i + ",\"dropped\":true}");
      case 2 -> List.of("{\"frame_index\":2,\"result\":{}}",
          "{\"warning\":\"slow_down\",\"max_fps\":5.0,\"drop_rate\":0.4}");
      case 5 -> List.of("{\"error\":\"pipeline_failure\",\"detail\":\"boom\"}");
      default -> List.of("{\"frame_index\":" + i + ",\"result\":{\"ok\":true}}");
    })) {
      Run run = run("--url", fake.url("/ws/video/stream?pipeline_id=x"), "--sessions", "2",
          "--duration", "30s", "--warmup", "0", "--jpeg-kb", "2", "--json");
      assertEquals(LoadTool.OK, run.exit(), run.err());
      JsonNode r = run.json();
      assertEquals(12, r.get("frames_sent").asLong());
      assertEquals(6, r.get("results").asLong());
      assertEquals(4, r.get("dropped").asLong());
      assertEquals(2, r.get("slow_down_warnings").asLong());
      assertEquals(2, r.get("errors").asLong());
      assertEquals(2, r.get("errors_by_code").get("pipeline_failure").asLong());
      assertEquals(2, r.get("unanswered").asLong(), "the frame that got the error");
      assertEquals(6, r.get("latency_ms").get("count").asLong());
      assertTrue(r.get("measured_s").asDouble() < 30, "stops when every session has ended");
    }
  }

  @Test
  void warmUpFramesAreNotCountedButItsSlowDownIs() throws Exception {
    // slow_down right after frame 0, which is sent in the warm-up; every frame gets a result.
    java.util.concurrent.atomic.AtomicLong received = new java.util.concurrent.atomic.AtomicLong();
    try (FakeStreamServer fake = new FakeStreamServer(i -> {
      received.incrementAndGet();
      return i == 0
          ? List.of("{\"frame_index\":0,\"result\":{}}",
              "{\"warning\":\"slow_down\",\"max_fps\":5.0,\"drop_rate\":0.4}")
          : List.of("{\"frame_index\":" + i + ",\"result\":{}}");
    })) {
      Run run = run("--url", fake.url("/ws/video/stream"), "--fps", "50", "--warmup", "300ms",
          "--duration", "400ms", "--jpeg-kb", "2", "--json");
      assertEquals(LoadTool.OK, run.exit(), run.err());
      JsonNode r = run.json();
      long sent = r.get("frames_sent").asLong();
      // The server got the warm-up frames (50 fps x 0.3 s, fewer when this machine is loaded) and the
      // measured ones; only the measured ones are reported. (Exact counts depend on the scheduler.)
      long warmUp = received.get() - sent;
      assertTrue(sent > 0 && warmUp >= 3, "measured " + sent + " of " + received.get() + " frames received");
      assertEquals(sent, r.get("results").asLong());
      assertEquals(1, r.get("slow_down_warnings").asLong());
    }
  }

  @Test
  void serverClosingWithoutAnErrorIsCounted() throws Exception {
    // Frame 2's only "answer" is the close, written as an error message the tool must not see:
    // the fake closes after a message containing "error", so send one the tool reads as unknown.
    try (FakeStreamServer fake = new FakeStreamServer(i -> i < 2
        ? List.of("{\"frame_index\":" + i + ",\"result\":{}}")
        : List.of("{\"note\":\"error\"}"))) {
      Run run = run("--url", fake.url("/ws/video/stream"), "--duration", "30s", "--warmup", "0",
          "--jpeg-kb", "2", "--json");
      assertEquals(LoadTool.OK, run.exit(), run.err());
      JsonNode r = run.json();
      assertEquals(3, r.get("frames_sent").asLong());
      assertEquals(2, r.get("results").asLong());
      assertEquals(1, r.get("errors_by_code").get("unexpected_message").asLong());
      assertEquals(1, r.get("errors_by_code").get("closed_by_server").asLong());
    }
  }

  @Test
  void handshakeRefusedIsAConnectFailure() throws Exception {
    try (FakeStreamServer fake = new FakeStreamServer(i -> List.of())) {
      Run run = run("--url", fake.url("/no/such/path"), "--sessions", "2", "--duration", "1s",
          "--json");
      assertEquals(LoadTool.CONNECT_FAILED, run.exit());
      JsonNode r = run.json();
      assertEquals(0, r.get("sessions_connected").asInt());
      assertEquals(2, r.get("connect_failures").asInt());
      assertEquals(2, r.get("errors_by_code").get("handshake_rejected:404").asLong());
      assertTrue(run.err().contains("could not connect"), run.err());
    }
  }

  @Test
  void nothingListeningIsAConnectFailure() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Run run = run("--url", "ws://127.0.0.1:" + port + "/ws/video/stream", "--duration", "1s");
    assertEquals(LoadTool.CONNECT_FAILED, run.exit());
    assertTrue(run.out().contains("connect failures:   1 of 1"), run.out());
  }

  @Test
  void nonLoopbackHostIsRefusedBeforeConnecting() {
    for (String host : List.of("192.0.2.10", "example.invalid", "[2001:db8::1]", "10.1.2.3")) {
      Run run = run("--url", "ws://" + host + ":8080/ws/video/stream");
      assertEquals(LoadTool.USAGE, run.exit(), host);
      assertTrue(run.err().contains("refusing non-loopback host"), run.err());
      assertEquals("", run.out());
    }
  }
}
