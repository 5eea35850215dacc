package io.framewire.sources;

import static io.framewire.testing.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.StreamServers;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import io.framewire.api.image.JpegDecoder;
import io.framewire.api.image.RgbImage;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Live sources against real network servers on 127.0.0.1: Debian's ffmpeg serving MPEG-TS over HTTP
 * and TCP, GStreamer's RTSP server. Reconnect backoff is shortened so that recovery takes well under a
 * second.
 */
class LiveSourcesTest {

  private TestServer server;
  private Api api;

  @BeforeEach
  void start() {
    server = TestServer.start(Map.of(
        "framewire.sources.reconnect.min-backoff-ms", 100,
        "framewire.sources.reconnect.max-backoff-ms", 400,
        "framewire.sources.io-timeout-ms", 3000));
    api = new Api(server.port());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private String create(String url, String pipeline) {
    Api.Reply reply = api.create(url, pipeline);
    assertEquals(201, reply.status(), reply.body());
    return reply.json().get("id").asText();
  }

  private void awaitState(String id, String state) {
    await("source " + id + " is " + state, () -> api.source(id).get("state").asText().equals(state));
  }

  @Test
  void anHttpSourceRunsItsPipelineAndStreamsTheAnswersToWatchersUntilDeleted() {
    try (StreamServers.Server camera = StreamServers.ffmpegHttp(StreamServers.freePort())) {
      Api.Reply created = api.create(camera.url, "echo");
      assertEquals(201, created.status(), created.body());
      String id = created.json().get("id").asText();
      assertEquals(camera.url, created.json().get("url").asText());
      assertEquals("echo", created.json().get("pipeline_id").asText());

      try (WsTestClient watcher = WsTestClient.connect(server.port(), "/ws/sources/" + id)) {
        JsonNode first = watcher.next();
        while (first.has("dropped")) {
          first = watcher.next();
        }
        assertEquals(160, first.at("/result/width").asInt(), first.toString());
        assertEquals(first.get("frame_index").asLong(), first.at("/result/frame_index").asLong());
        long previous = first.get("frame_index").asLong();
        for (JsonNode answer : watcher.next(10)) {
          assertTrue(answer.get("frame_index").asLong() > previous, "in source order: " + answer);
          previous = answer.get("frame_index").asLong();
        }
        awaitState(id, "running");
        JsonNode status = api.source(id);
        assertTrue(status.get("frames_decoded").asLong() >= 11, status.toString());
        assertTrue(status.get("frames_processed").asLong() >= 11, status.toString());
        assertEquals(160, status.get("width").asInt());
        assertEquals(1, status.get("watchers").asInt());
        assertTrue(api.metric("source_frames_decoded_total") >= 11);
        assertEquals(1.0, api.metric("sources_active"));

        RgbImage preview = JpegDecoder.decodeRgb(api.bytes("/sources/" + id + "/preview.jpg"));
        assertEquals(160, preview.width());

        assertEquals(204, api.delete("/sources/" + id).status());
        JsonNode last = watcher.next();
        while (!last.has("error")) {
          last = watcher.next();
        }
        assertEquals("source_stopped", last.get("error").asText());
        watcher.awaitClose();
      }
      assertEquals(404, api.get("/sources/" + id).status());
      assertEquals(404, api.delete("/sources/" + id).status());
      await("the gauge drops", () -> api.metric("sources_active") == 0.0);
    }
  }

  @Test
  void framesDecodedWhileThePipelineIsBusyAreDroppedNotQueued() throws Exception {
    try (StreamServers.Server camera = StreamServers.ffmpegHttp(StreamServers.freePort())) {
      String id = create(camera.url, "gated");
      long first = server.gate.awaitEntered(); // the pipeline holds this frame; the camera goes on
      await("the camera moved on by 20 frames", () -> api.source(id).get("frames_decoded").asLong() >= first + 21);
      assertEquals(0, api.source(id).get("frames_processed").asLong());
      try (WsTestClient w = WsTestClient.connect(server.port(), "/ws/sources/" + id)) {
        await("the watcher joined", () -> api.source(id).get("watchers").asInt() == 1);
        server.gate.release(2); // the held frame, then the newest one: everything between was superseded
        JsonNode answer = w.next();
        assertEquals(first, answer.get("frame_index").asLong(), answer.toString());
        assertTrue(answer.has("result"), answer.toString());
        JsonNode dropped = w.next();
        assertEquals(first + 1, dropped.get("frame_index").asLong(), dropped.toString());
        assertTrue(dropped.get("dropped").asBoolean(), dropped.toString());
      }
      await("superseded frames are counted as dropped", () -> api.source(id).get("frames_dropped").asLong() >= 19);
      assertTrue(api.metric("source_frames_dropped_total") >= 19);
      JsonNode status = api.source(id);
      assertTrue(status.get("frames_processed").asLong() <= 2, "one frame at a time, never a queue: " + status);
    } finally {
      server.gate.release(1000);
    }
  }

  @Test
  void aPipelineFailureIsAnsweredToWatchersAndTheSourceRetriesWithBackoff() {
    try (StreamServers.Server camera = StreamServers.rtsp(StreamServers.freePort(), "160x120")) {
      String id = create(camera.url, "failing");
      try (WsTestClient watcher = WsTestClient.connect(server.port(), "/ws/sources/" + id)) {
        JsonNode error = watcher.next();
        assertEquals("pipeline_failure", error.get("error").asText(), error.toString());
        assertTrue(error.get("detail").asText().matches("frame \\d+: node 'n' failed: camera lens cap is on"),
            error.toString());
        await("it tries again", () -> api.source(id).get("reconnects").asLong() >= 2);
        assertEquals("pipeline_failure", watcher.next().get("error").asText(), "the watcher stays: each attempt's error");
      }
      JsonNode status = api.source(id);
      assertTrue(status.get("last_error").asText().endsWith("camera lens cap is on"), status.toString());
      assertFalse(status.get("last_error").asText().contains("Exception"), status.toString());
    }
  }

  @Test
  void anRtspCameraIsDecodedAndItsCredentialsAreNeverShown() {
    try (StreamServers.Server camera = StreamServers.rtsp(StreamServers.freePort(), "320x240")) {
      String url = camera.url.replace("rtsp://", "rtsp://admin:s3cret@");
      String id = create(url, "motion");
      awaitState(id, "running");
      JsonNode status = api.source(id);
      assertEquals("rtsp://admin:***@127.0.0.1:" + camera.port + "/cam", status.get("url").asText());
      assertFalse(api.get("/sources").body().contains("s3cret"));
      try (WsTestClient watcher = WsTestClient.connect(server.port(), "/ws/sources/" + id)) {
        // The ball moves: within a few dozen frames motion finds it.
        boolean moved = false;
        for (int i = 0; i < 100 && !moved; i++) {
          JsonNode answer = watcher.next();
          if (answer.has("result")) {
            assertEquals(320, answer.at("/result/width").asInt(), answer.toString());
            moved = answer.at("/result/motion/regions").size() > 0;
          }
        }
        assertTrue(moved, "motion regions over the moving ball");
      }
    }
  }

  @Test
  void aKilledServerIsReconnectedWithBackoffAndTheSourceRecovers() {
    int port = StreamServers.freePort();
    StreamServers.Server camera = StreamServers.ffmpegTcp(port);
    String id = create(camera.url, "echo");
    try (WsTestClient watcher = WsTestClient.connect(server.port(), "/ws/sources/" + id)) {
      awaitState(id, "running");
      await("frames flow", () -> api.source(id).get("frames_processed").asLong() >= 5);

      camera.kill(); // the camera goes away mid-stream
      awaitState(id, "reconnecting");
      JsonNode lost = api.source(id);
      assertFalse(lost.get("last_error").isNull(), lost.toString());
      await("it keeps trying", () -> api.source(id).get("reconnects").asLong() >= 2);
      long processedBefore = api.source(id).get("frames_processed").asLong();
      long decodedBefore = api.source(id).get("frames_decoded").asLong();

      try (StreamServers.Server back = StreamServers.ffmpegTcp(port)) {
        awaitState(id, "running");
        await("frames flow again", () -> api.source(id).get("frames_processed").asLong() >= processedBefore + 10);
        assertTrue(api.metric("source_reconnects_total") >= 2);
        // The same watcher, connected before the loss, gets the new connection's answers, numbered on
        // from where the lost connection stopped.
        long previous = -1;
        JsonNode answer;
        do {
          answer = watcher.next();
          assertTrue(answer.get("frame_index").asLong() > previous, "frame_index never goes back: " + answer);
          previous = answer.get("frame_index").asLong();
        } while (!answer.has("result") || previous < decodedBefore);
      }
    } finally {
      camera.close();
    }
  }
}
