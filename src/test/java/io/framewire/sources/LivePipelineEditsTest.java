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
 * camera's counter goes on from its own count ({@link LivePipelineTest.Counter}).
 */
class LivePipelineEditsTest {

  private TestServer server;
  private Api api;

  @BeforeEach
  void start() {
    server = TestServer.start(Map.of(), List.of(new LivePipelineTest.LivePlugin()));
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
}
