package io.framewire.eventstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import io.framewire.pipeline.PipelineJson;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server: a live-tail watcher ({@code GET /ws/events}) gets each stored event of a session
 * that matches its filter, with its id, and the event's snapshot is served at {@code
 * /events/{id}/snapshot.jpg}.
 */
class EventSnapshotsServerTest {

  @TempDir Path data;
  private final ObjectMapper json = new ObjectMapper();

  /** {@code evt/cross}: one {@code line_crossed} of track 7 with a box per frame. */
  static final class CrossPlugin implements ToolPlugin {
    @Override
    public String id() {
      return "evt";
    }

    @Override
    public Set<String> toolIds() {
      return Set.of("cross");
    }

    @Override
    public Tool create(String toolId, JsonNode params) {
      return input -> Map.of("events", List.of(Map.of("type", "line_crossed", "track_id", 7, "label", "person",
          "line", "door", "box", Map.of("x", 8, "y", 8, "w", 20, "h", 20))));
    }
  }

  @Test
  void theTailShowsStoredEventsAndTheirSnapshotIsServed() throws Exception {
    var pipeline = PipelineJson.read("""
        {"id":"crossing","name":"crossing","nodes":[{"id":"lines","plugin_id":"evt","tool_id":"cross","params":{}}],
         "edges":[],"entry_nodes":["lines"],"output_nodes":["lines"]}""");
    try (TestServer server = TestServer.start(
        Map.of("framewire.events.enabled", true, "framewire.events.data-dir", data.toString(),
            "framewire.events.snapshot-min-interval-ms", 3_600_000),
        List.of(new CrossPlugin()), List.of(pipeline));
        WsTestClient other = WsTestClient.connect(server.port(), "/ws/events?type=zone_entered");
        WsTestClient tail = WsTestClient.connect(server.port(), "/ws/events?type=line_crossed&label=person");
        WsTestClient client = server.stream("crossing")) {
      // Registered once each says so: nothing is stored before, so every event is after 0.
      for (WsTestClient watcher : List.of(other, tail)) {
        JsonNode tailing = watcher.next(1).get(0);
        assertTrue(tailing.get("tailing").asBoolean(), tailing.toString());
        assertEquals(0, tailing.get("after").asLong());
      }
      byte[] jpeg = TestJpegs.solid(64, 48, TestJpegs.DARK);
      for (int i = 0; i < 3; i++) {
        client.sendBinary(jpeg);
        assertTrue(client.nextAnswer().isResult());
      }
      List<JsonNode> tailed = tail.next(3);
      long first = tailed.get(0).get("id").asLong();
      for (int i = 0; i < 3; i++) {
        assertEquals(first + i, tailed.get(i).get("id").asLong());
        assertEquals("line_crossed", tailed.get(i).get("type").asText());
        assertEquals("lines", tailed.get(i).get("node").asText());
        assertEquals(tailed.get(i), get(server.port(), "/events/" + (first + i)), "as GET /events/{id} shows it");
      }
      // One snapshot per track and type per interval: the first frame's.
      assertTrue(Snapshots.NAME.matcher(tailed.get(0).get("snapshot").asText()).matches(), tailed.get(0).toString());
      assertTrue(tailed.get(1).get("snapshot").isNull());
      TestServer.await("the snapshot is written", () -> status(server.port(), "/events/" + first + "/snapshot.jpg") == 200);
      HttpResponse<byte[]> picture = request(server.port(), "/events/" + first + "/snapshot.jpg");
      assertEquals("image/jpeg", picture.headers().firstValue("Content-Type").orElse(""));
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(picture.body()));
      assertEquals(64, image.getWidth());
      assertEquals(48, image.getHeight());
      assertEquals(404, status(server.port(), "/events/" + (first + 1) + "/snapshot.jpg"));
      assertEquals("no_snapshot", json.readTree(request(server.port(), "/events/" + (first + 1) + "/snapshot.jpg").body())
          .get("error").asText());
      assertEquals(List.of(), other.pending(), "the zone watcher got nothing");
    }
  }

  private HttpResponse<byte[]> request(int port, String path) {
    try {
      return HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private int status(int port, String path) {
    return request(port, path).statusCode();
  }

  private JsonNode get(int port, String path) throws Exception {
    HttpResponse<byte[]> response = request(port, path);
    assertEquals(200, response.statusCode());
    return json.readTree(response.body());
  }
}
