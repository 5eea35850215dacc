package io.framewire.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code &timings=1} and the {@code node_seconds} histogram, against the real server. */
class TimingsTest {

  static TestServer server;
  static Http http;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = new Http(server.port());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void eachResultCarriesEveryNodesTimeAndAPlausibleTotal() {
    String pipeline = """
        {"id": "timed", "name": "Timed",
         "nodes": [{"id": "first", "plugin_id": "debug", "tool_id": "sleep", "params": {"ms": 15}},
                   {"id": "left", "plugin_id": "debug", "tool_id": "sleep", "params": {"ms": 5}},
                   {"id": "right", "plugin_id": "image", "tool_id": "info"}],
         "edges": [{"from_node": "first", "to_node": "left"}, {"from_node": "first", "to_node": "right"}],
         "entry_nodes": ["first"], "output_nodes": ["left", "right"]}""";
    assertEquals(201, http.post("/pipelines", pipeline).status());
    try (WsTestClient client = WsTestClient.connect(server.port(), "/ws/video/stream?pipeline_id=timed&timings=1")) {
      for (int i = 0; i < 3; i++) {
        JsonNode answer = client.sendBinary(TestJpegs.grayscale(64, 48, 100)).next();
        JsonNode timings = answer.get("timings_ms");
        assertTrue(timings != null && timings.isObject(), answer.toString());
        List<String> keys = new ArrayList<>();
        timings.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("first", "left", "right", "total"), keys, "execution order (ties in definition order), then total");
        double first = timings.get("first").asDouble();
        double left = timings.get("left").asDouble();
        double right = timings.get("right").asDouble();
        double total = timings.get("total").asDouble();
        assertTrue(first >= 15 && left >= 5 && right >= 0, timings.toString());
        // The nodes' intervals lie inside the run's: first, then both branches.
        assertTrue(total + 0.01 >= first + Math.max(left, right), timings.toString());
        assertTrue(answer.at("/result/width").asInt() == 64 && answer.at("/result/slept_ms").asInt() == 5,
            "the result itself is unchanged: " + answer);
        assertTrue(answer.at("/result/timings_ms").isMissingNode(), answer.toString());
      }
    }
    String metrics = rawMetrics();
    assertTrue(count(metrics, "timed", "first") >= 3, metrics);
    assertTrue(count(metrics, "timed", "right") >= 3, metrics);
    assertEquals(204, http.delete("/pipelines/timed").status());
    assertEquals(0, count(rawMetrics(), "timed", "first"), "a deleted pipeline's series are dropped");
  }

  @Test
  void nodeSecondsIsCollectedWithoutTimingsToo() {
    double before = count(rawMetrics(), "echo", "echo");
    try (WsTestClient client = server.stream("echo")) {
      JsonNode answer = client.sendBinary(TestJpegs.grayscale(16, 16, 1)).next();
      assertTrue(answer.get("timings_ms") == null, answer.toString());
    }
    TestServer.await("the echo node was timed", () -> count(rawMetrics(), "echo", "echo") >= before + 1);
  }

  private static String rawMetrics() {
    return http.send("GET", "/metrics", null).raw();
  }

  private static double count(String metrics, String pipeline, String node) {
    Matcher m = Pattern.compile("node_seconds_count\\{pipeline=\"" + pipeline + "\",node=\"" + node + "\",?\\} (\\S+)")
        .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
