package io.framewire.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.eventstore.TickPlugin;
import io.framewire.pipeline.PipelineJson;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole way, as an operator wires framewire into Home Assistant: a real server with its event
 * store, a sink created with {@code POST /sinks} to a real mosquitto, a WebSocket session whose
 * pipeline raises one event per frame; a subscriber receives every event as {@code GET /events}
 * lists it, in order, on the sink's topic.
 */
class SinksServerTest {

  @TempDir Path data;
  @TempDir Path broker;
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void aSessionsEventsReachAnMqttSinkCreatedThroughTheApiAsStored() throws Exception {
    var pipeline = PipelineJson.read(TickPlugin.pipeline("ticking", "thing"));
    try (Mosquitto mosquitto = new Mosquitto(broker).start();
        MqttCollector subscriber = new MqttCollector(mosquitto.url(), "framewire/#", 1);
        TestServer server = TestServer.start(
            // A poll no test waits out: the events come through the engine's commits waking the sink.
            Map.of("framewire.events.enabled", true, "framewire.events.data-dir", data.toString(),
                "framewire.sinks.poll-interval-ms", 3_600_000),
            List.of(new TickPlugin()), List.of(pipeline))) {
      HttpResponse<String> created = send(server.port(), "POST", "/sinks", """
          {"id": "ha", "type": "mqtt", "url": "%s", "topic": "framewire/{type}", "qos": 1}""".formatted(mosquitto.url()));
      assertEquals(201, created.statusCode(), created.body());

      try (WsTestClient client = server.stream("ticking")) {
        byte[] jpeg = TestJpegs.grayscale(64, 48, 128);
        for (int i = 0; i < 10; i++) {
          client.sendBinary(jpeg);
          assertTrue(client.nextAnswer().isResult());
        }
      }
      List<MqttCollector.Received> received = subscriber.awaitDistinct(10, Duration.ofSeconds(30));
      JsonNode stored = json.readTree(send(server.port(), "GET", "/events?order=asc", null).body()).get("events");
      assertEquals(10, stored.size());
      List<Long> storedIds = new ArrayList<>();
      stored.forEach(e -> storedIds.add(e.get("id").asLong()));
      assertEquals(storedIds, MqttCollector.firstArrivals(received), "every stored event, in order");
      for (MqttCollector.Received message : received) {
        assertEquals("framewire/tick", message.topic());
        assertEquals("ticking", message.json().get("pipeline_id"));
        assertEquals("ticker", message.json().get("node"));
      }
      assertEquals(0, ((Number) message(received, 0).get("frame_index")).intValue());

      TestServer.await("the sink has caught up", () -> {
        try {
          return json.readTree(send(server.port(), "GET", "/sinks/ha", null).body()).get("lag").asLong() == 0;
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      JsonNode status = json.readTree(send(server.port(), "GET", "/sinks/ha", null).body());
      assertEquals("ha", status.get("id").asText());
      assertEquals(storedIds.get(9).longValue(), status.get("position").asLong(), status.toString());
    }
  }

  @Test
  void withoutAnEventStoreSinksAreRefusedClearly() throws Exception {
    try (TestServer server = TestServer.start()) {
      HttpResponse<String> answer = send(server.port(), "GET", "/sinks", null);
      assertEquals(404, answer.statusCode());
      assertEquals("events_disabled", json.readTree(answer.body()).get("error").asText());
    }
  }

  private static Map<String, Object> message(List<MqttCollector.Received> received, int i) {
    return received.get(i).json();
  }

  private static HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
