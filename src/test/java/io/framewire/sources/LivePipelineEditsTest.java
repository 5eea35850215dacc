package io.framewire.sources;

import static io.framewire.testing.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.StreamServers;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A workbench edit ({@code PUT /pipelines/cam}) reaches two running cameras (ffmpeg serving live
 * MPEG-TS over HTTP) on their next frame: the new version's params show in their answers, and each
 * camera's counter goes on from its own count ({@link LivePipelineTest.Counter}). A camera that drops
 * and comes back keeps its counter too, on the version edited meanwhile if there is one, and the
 * counter is closed once when the source is deleted. Reconnect backoff is shortened, as in
 * {@link LiveSourcesTest}.
 */
class LivePipelineEditsTest {

  private final LivePipelineTest.LivePlugin plugin = new LivePipelineTest.LivePlugin();
  private TestServer server;
  private Api api;

  @BeforeEach
  void start() {
    server = TestServer.start(Map.of(
        "framewire.sources.reconnect.min-backoff-ms", 100,
        "framewire.sources.reconnect.max-backoff-ms", 400), List.of(plugin));
    api = new Api(server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The next result after the dropped answers; every answer's frame_index follows the one before. */
  private static final class Results {
    private final WsTestClient watcher;
    private long lastIndex = -1;

    Results(WsTestClient watcher) {
      this.watcher = watcher;
    }

    JsonNode next() {
      while (true) {
        JsonNode answer = watcher.next();
        long index = answer.get("frame_index").asLong();
        // Consecutive answers (results or dropped) mean the watcher missed none: counts are exact.
        assertTrue(lastIndex < 0 || index == lastIndex + 1, "answers missed before " + answer);
        lastIndex = index;
        if (answer.has("result")) {
          return answer.get("result");
        }
      }
    }
  }

  @Test
  void anEditReachesRunningCamerasOnTheirNextFrameAndEachCountGoesOn() {
    assertEquals(201, api.put("/pipelines/cam", LivePipelineTest.cam("before", false)).status());
    try (StreamServers.Server doorCamera = StreamServers.ffmpegHttp(StreamServers.freePort(), 10);
        StreamServers.Server yardCamera = StreamServers.ffmpegHttp(StreamServers.freePort(), 10)) {
      String door = api.create(doorCamera.url, "cam").json().get("id").asText();
      String yard = api.create(yardCamera.url, "cam").json().get("id").asText();
      try (WsTestClient doorWatcher = WsTestClient.connect(server.port(), "/ws/sources/" + door);
          WsTestClient yardWatcher = WsTestClient.connect(server.port(), "/ws/sources/" + yard)) {
        Results doorResults = new Results(doorWatcher);
        Results yardResults = new Results(yardWatcher);
        JsonNode doorBefore = doorResults.next();
        while (doorBefore.get("count").asLong() < 3) {
          doorBefore = doorResults.next();
        }
        JsonNode yardBefore = yardResults.next();
        assertEquals(1, api.source(door).get("pipeline_version").asInt());

        Api.Reply edited = api.put("/pipelines/cam", LivePipelineTest.cam("after", false));
        assertEquals(200, edited.status(), edited.body());
        assertEquals(2, edited.json().get("version").asInt());
        for (Results results : List.of(doorResults, yardResults)) {
          JsonNode before = results == doorResults ? doorBefore : yardBefore;
          JsonNode result = results.next();
          while (result.get("label").asText().equals("before")) {
            assertEquals(before.get("count").asLong() + 1, result.get("count").asLong(), result.toString());
            before = result;
            result = results.next();
          }
          assertEquals("after", result.get("label").asText(), "the new version's params");
          assertEquals(before.get("count").asLong() + 1, result.get("count").asLong(),
              "the count goes on across the edit: " + before + " then " + result);
          JsonNode then = results.next();
          assertEquals(result.get("count").asLong() + 1, then.get("count").asLong(), then.toString());
        }
        for (String id : List.of(door, yard)) {
          await(id + " shows version 2", () -> api.source(id).get("pipeline_version").asInt() == 2);
          assertTrue(api.source(id).get("pipeline_problem").isNull());
        }

        assertEquals(204, api.delete("/pipelines/cam").status());
        await("the deletion is shown", () -> !api.source(door).get("pipeline_problem").isNull());
        assertEquals("pipeline 'cam' was deleted; still running version 2 until the source reconnects",
            api.source(door).get("pipeline_problem").asText());
        assertEquals("running", api.source(door).get("state").asText());
        JsonNode after = doorResults.next();
        assertEquals("after", after.get("label").asText(), "the camera goes on with the version it had");
      }
    }
  }

  private void awaitState(String id, String state) {
    await("source " + id + " is " + state, () -> api.source(id).get("state").asText().equals(state));
  }

  /** The first result of a frame numbered {@code fromIndex} or later (the next connection's first). */
  private static JsonNode firstResultFrom(WsTestClient watcher, long fromIndex) {
    while (true) {
      JsonNode answer = watcher.next();
      if (answer.has("result") && answer.get("frame_index").asLong() >= fromIndex) {
        return answer.get("result");
      }
    }
  }

  /** Kills the camera and waits until the source has seen it (its frame counts no longer move). */
  private JsonNode drop(StreamServers.Server camera, String id) {
    camera.kill();
    awaitState(id, "reconnecting");
    return api.source(id);
  }

  @Test
  void aCameraThatDropsComesBackWithItsCountGoingOnAndItsCounterIsClosedOnceWhenDeleted() {
    assertEquals(201, api.put("/pipelines/cam", LivePipelineTest.cam("before", false)).status());
    plugin.closed.clear(); // validation probes
    int port = StreamServers.freePort();
    StreamServers.Server camera = StreamServers.ffmpegHttp(port, 10);
    try {
      String id = api.create(camera.url, "cam").json().get("id").asText();
      try (WsTestClient watcher = WsTestClient.connect(server.port(), "/ws/sources/" + id)) {
        await("frames counted", () -> api.source(id).get("frames_processed").asLong() >= 3);
        JsonNode lost = drop(camera, id);
        long processed = lost.get("frames_processed").asLong();

        camera = StreamServers.ffmpegHttp(port, 10); // the camera is back
        JsonNode first = firstResultFrom(watcher, lost.get("frames_decoded").asLong());
        assertEquals(processed + 1, first.get("count").asLong(), "the count goes on across the reconnect: " + first);
        assertEquals("before", first.get("label").asText());
        assertTrue(api.source(id).get("reconnects").asLong() >= 1, "it reconnected");
        assertEquals(List.of(), plugin.closed, "the counter was kept, not closed");
      }
      long total = drop(camera, id).get("frames_processed").asLong();
      assertEquals(204, api.delete("/sources/" + id).status());
      await("the counter is closed", () -> !plugin.closed.isEmpty());
      assertEquals(List.of("before@" + total), plugin.closed, "once, having counted every frame the source ran");
    } finally {
      camera.close();
    }
  }

  @Test
  void aCameraThatComesBackAfterAnEditRunsTheNewVersionWithItsCountGoingOn() {
    assertEquals(201, api.put("/pipelines/cam", LivePipelineTest.cam("before", false)).status());
    int port = StreamServers.freePort();
    StreamServers.Server camera = StreamServers.ffmpegHttp(port, 10);
    try {
      String id = api.create(camera.url, "cam").json().get("id").asText();
      long processed;
      try (WsTestClient watcher = WsTestClient.connect(server.port(), "/ws/sources/" + id)) {
        await("frames counted", () -> api.source(id).get("frames_processed").asLong() >= 3);
        JsonNode lost = drop(camera, id);
        processed = lost.get("frames_processed").asLong();
        assertEquals(200, api.put("/pipelines/cam", LivePipelineTest.cam("after", false)).status());
        plugin.closed.clear(); // validation probes

        camera = StreamServers.ffmpegHttp(port, 10);
        JsonNode first = firstResultFrom(watcher, lost.get("frames_decoded").asLong());
        assertEquals("after", first.get("label").asText(), "the version edited while the camera was away");
        assertEquals(processed + 1, first.get("count").asLong(), "the count goes on: " + first);
        await("version 2 is shown", () -> api.source(id).get("pipeline_version").asInt() == 2);
        assertEquals(List.of("before@" + processed), plugin.closed, "the old counter closed after handing over");
      }
      long total = drop(camera, id).get("frames_processed").asLong();
      assertEquals(204, api.delete("/sources/" + id).status());
      await("the counter is closed", () -> plugin.closed.size() == 2);
      assertEquals(List.of("before@" + processed, "after@" + total), plugin.closed);
    } finally {
      camera.close();
    }
  }

  @Test
  void aCameraThatFailsForGoodClosesItsCounter() {
    server.close();
    server = TestServer.start(Map.of(
        "framewire.sources.reconnect.min-backoff-ms", 100,
        "framewire.sources.reconnect.max-backoff-ms", 400,
        "framewire.sources.reconnect.max-attempts", 2), List.of(plugin));
    api = new Api(server.port());
    assertEquals(201, api.put("/pipelines/cam", LivePipelineTest.cam("before", false)).status());
    plugin.closed.clear(); // validation probes
    try (StreamServers.Server camera = StreamServers.ffmpegHttp(StreamServers.freePort(), 10)) {
      String id = api.create(camera.url, "cam").json().get("id").asText();
      await("frames counted", () -> api.source(id).get("frames_processed").asLong() >= 3);
      camera.kill(); // and never back
      awaitState(id, "failed");
      long total = api.source(id).get("frames_processed").asLong();
      await("the counter is closed", () -> !plugin.closed.isEmpty());
      assertEquals(List.of("before@" + total), plugin.closed);
    }
  }
}
