package io.framewire.sources;

import static io.framewire.testing.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.eventstore.TickPlugin;
import io.framewire.testing.StreamServers;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live camera's events reach the store: ffmpeg serves live MPEG-TS over HTTP to a source running
 * {@code ticks} ({@link TickPlugin}: one event per frame, labelled with the node's param), and {@code GET
 * /events?stream=source:<id>} returns the event of each frame its watcher was answered, with the
 * pipeline version and node that raised it; after a workbench edit ({@code PUT /pipelines/ticks}) the
 * camera's events carry version 2 and its new param, and every stored event of the camera belongs to
 * the version that ran its frame.
 */
class LiveSourceEventsTest {

  @TempDir
  Path data;

  @Test
  void aCamerasEventsAreStoredWithTheVersionThatRaisedThemAcrossAnEdit() {
    try (TestServer server = TestServer.start(
            Map.of("framewire.events.enabled", true, "framewire.events.data-dir", data.toString()),
            List.of(new TickPlugin()));
        StreamServers.Server camera = StreamServers.ffmpegHttp(StreamServers.freePort(), 10)) {
      Api api = new Api(server.port());
      assertEquals(201, api.put("/pipelines/ticks", TickPlugin.pipeline("ticks", "before")).status());
      String id = api.create(camera.url, "ticks").json().get("id").asText();
      String stream = "source:" + id;

      try (WsTestClient watcher = WsTestClient.connect(server.port(), "/ws/sources/" + id)) {
        // What the watcher was answered: the frame index and the label of its one event.
        Map<Long, String> answered = new HashMap<>();
        while (answered.size() < 3) {
          result(watcher, answered);
        }
        assertEquals(List.of("before"), List.copyOf(new java.util.HashSet<>(answered.values())));

        Api.Reply edited = api.put("/pipelines/ticks", TickPlugin.pipeline("ticks", "after"));
        assertEquals(200, edited.status(), edited.body());
        assertEquals(2, edited.json().get("version").asInt());
        int afterEdit = 0;
        while (afterEdit < 3) {
          if (result(watcher, answered).equals("after")) {
            afterEdit++;
          }
        }

        List<JsonNode> stored = new ArrayList<>();
        await("the events of the answered frames are stored", () -> {
          stored.clear();
          api.get("/events?order=asc&limit=1000&stream=" + stream).json().get("events").forEach(stored::add);
          return stored.stream().map(e -> e.get("frame_index").asLong()).toList().containsAll(answered.keySet());
        });
        Map<Long, JsonNode> byFrame = new HashMap<>();
        long lastFrame = -1;
        int lastVersion = 1;
        for (JsonNode event : stored) {
          assertEquals("tick", event.get("type").asText());
          assertEquals(stream, event.get("stream").asText());
          assertEquals("ticks", event.get("pipeline_id").asText());
          assertEquals("ticker", event.get("node").asText());
          int version = event.get("pipeline_version").asInt();
          assertEquals(version == 1 ? "before" : "after", event.get("label").asText(),
              "the event was raised by the version it names: " + event);
          assertTrue(version == lastVersion || version == 2 && lastVersion == 1, "version 2 follows 1: " + event);
          assertTrue(event.get("frame_index").asLong() > lastFrame, "one event per frame, in frame order: " + event);
          lastVersion = version;
          lastFrame = event.get("frame_index").asLong();
          byFrame.put(lastFrame, event);
        }
        answered.forEach((frame, label) -> {
          JsonNode event = byFrame.get(frame);
          assertEquals(label, event.get("label").asText(), "frame " + frame + ": " + event);
          assertEquals(label.equals("before") ? 1 : 2, event.get("pipeline_version").asInt(), event.toString());
        });
        assertEquals(2, lastVersion, "the latest stored events carry the new version");
      }
    }
  }

  /** The next result the watcher is answered (dropped notices skipped): records its frame and label. */
  private static String result(WsTestClient watcher, Map<Long, String> answered) {
    while (true) {
      JsonNode answer = watcher.next();
      if (answer.has("result")) {
        JsonNode events = answer.get("result").get("events");
        assertEquals(1, events.size(), answer.toString());
        assertEquals("ticker", events.get(0).get("node").asText(), answer.toString());
        String label = events.get(0).get("label").asText();
        answered.put(answer.get("frame_index").asLong(), label);
        return label;
      }
    }
  }
}
