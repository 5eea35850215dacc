package io.framewire.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.framewire.pipeline.PipelineJson;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server with its event store on: a WebSocket session's frames run a pipeline whose node
 * raises one event per frame, and {@code GET /events} returns them, with the session's stream, the
 * pipeline and the node.
 */
class EventStoreServerTest {

  @TempDir Path data;
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void aSessionsEventsAreStoredAndQueried() throws Exception {
    var pipeline = PipelineJson.read(TickPlugin.pipeline("ticking", "thing"));
    try (TestServer server = TestServer.start(
        Map.of("framewire.events.enabled", true, "framewire.events.data-dir", data.toString()),
        List.of(new TickPlugin()), List.of(pipeline));
        WsTestClient client = server.stream("ticking")) {
      byte[] jpeg = TestJpegs.grayscale(64, 48, 128);
      for (int i = 0; i < 5; i++) {
        client.sendBinary(jpeg);
        WsTestClient.Answer answer = client.nextAnswer();
        assertTrue(answer.isResult(), answer.json().toString());
        assertEquals("tick", answer.json().get("result").get("events").get(0).get("type").asText());
      }
      List<JsonNode> events = new ArrayList<>();
      TestServer.await("5 events stored", () -> {
        events.clear();
        get(server.port(), "/events?order=asc").get("events").forEach(events::add);
        return events.size() == 5;
      });
      String stream = events.get(0).get("stream").asText();
      assertTrue(stream.matches("session:[0-9a-f-]{36}"), stream);
      for (int i = 0; i < 5; i++) {
        JsonNode event = events.get(i);
        assertEquals("tick", event.get("type").asText());
        assertEquals(stream, event.get("stream").asText());
        assertEquals("ticking", event.get("pipeline_id").asText());
        assertEquals(1, event.get("pipeline_version").asInt());
        assertEquals("ticker", event.get("node").asText());
        assertEquals("thing", event.get("label").asText());
        assertEquals(i, event.get("frame_index").asInt());
      }
      JsonNode counts = get(server.port(), "/events/counts?group_by=stream,type");
      assertEquals(JsonNodeFactory.instance.arrayNode().add(
          json.createObjectNode().put("stream", stream).put("type", "tick").put("count", 5)), counts.get("counts"));
    }
    assertTrue(java.nio.file.Files.isRegularFile(data.resolve(EventStore.SQLITE_FILE)));
  }

  private JsonNode get(int port, String path) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      return json.readTree(response.body());
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
