package io.framewire.sources;

import io.framewire.settings.FramewireSettings;
import static io.framewire.testing.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sources API's rules: validation, the limit, the admin rule, unreachable cameras, sources.json. */
class SourcesApiTest {

  @TempDir Path dir;

  /** A port nobody listens on: connecting is refused at once. */
  private static final String NOWHERE = "tcp://127.0.0.1:9";

  @Test
  void badRequestsGetAClearErrorAndNothingStarts() {
    try (TestServer server = TestServer.start()) {
      Api api = new Api(server.port());
      assertError(api.create("file:///etc/passwd", "echo"), 400, "invalid_url");
      assertError(api.create("/videos/a.mp4", "echo"), 400, "invalid_url");
      assertError(api.create("rtsp://", "echo"), 400, "invalid_url");
      assertError(api.create(NOWHERE, "no-such-pipeline"), 400, "invalid_pipeline");
      assertError(api.post("/sources", "{not json", Map.of()), 400, "invalid_request");
      assertError(api.post("/sources", Map.of("url", NOWHERE, "pipeline_id", "echo", "id", "../x"), Map.of()),
          400, "invalid_id");
      assertEquals("[]", api.get("/sources").body());
      assertError(api.get("/sources/nope"), 404, "not_found");
      try (WsTestClient watcher = WsTestClient.connect(server.port(), "/ws/sources/nope")) {
        assertEquals("source_not_found", watcher.next().get("error").asText());
        watcher.awaitClose();
      }
    }
  }

  @Test
  void sourcesMaxLimitsHowManyRunAndADeleteFreesTheSlot() {
    try (TestServer server = TestServer.start(Map.of("framewire.sources.max", 1))) {
      Api api = new Api(server.port());
      assertEquals(201, api.post("/sources", Map.of("url", NOWHERE, "pipeline_id", "echo", "id", "cam1"), Map.of()).status());
      assertError(api.post("/sources", Map.of("url", NOWHERE, "pipeline_id", "echo", "id", "cam1"), Map.of()),
          409, "source_exists");
      assertError(api.create(NOWHERE, "echo"), 429, "too_many_sources");
      assertEquals(204, api.delete("/sources/cam1").status());
      assertEquals(201, api.create(NOWHERE, "echo").status());
    }
  }

  @Test
  void withAnAdminTokenMutationsNeedItAndReadsDoNot() {
    try (TestServer server = TestServer.start(Map.of("framewire.admin.token", "letmein"))) {
      Api api = new Api(server.port());
      Map<String, Object> body = Map.of("url", NOWHERE, "pipeline_id", "echo", "id", "cam");
      assertError(api.post("/sources", body, Map.of()), 401, "unauthorized");
      assertError(api.post("/sources", body, Map.of("Authorization", "Bearer wrong")), 401, "unauthorized");
      assertEquals(201, api.post("/sources", body, Map.of("Authorization", "Bearer letmein")).status());
      assertEquals(200, api.get("/sources/cam").status());
      assertError(api.delete("/sources/cam"), 401, "unauthorized");
    }
  }

  @Test
  void withAStreamTokenWatchersAndPreviewsNeedIt() {
    try (TestServer server = TestServer.start(Map.of("framewire.stream.auth-token", "watch-me"))) {
      Api api = new Api(server.port());
      assertEquals(201, api.post("/sources", Map.of("url", NOWHERE, "pipeline_id", "echo", "id", "cam"), Map.of()).status());
      assertError(api.get("/sources/cam/preview.jpg"), 401, "unauthorized");
      assertError(api.get("/sources/cam/preview.jpg?token=watch-me"), 404, "no_frame");
      try (io.framewire.testing.RawWsClient refused = io.framewire.testing.RawWsClient.connect(
          server.port(), "/ws/sources/cam", Map.of())) {
        assertEquals(401, refused.handshake.status());
      }
      try (WsTestClient allowed = WsTestClient.connect(server.port(), "/ws/sources/cam?token=watch-me")) {
        assertEquals(204, api.delete("/sources/cam").status());
        assertEquals("source_stopped", allowed.next().get("error").asText());
      }
    }
  }

  @Test
  void anUnreachableCameraKeepsReconnectingWithItsErrorShownOrFailsAfterMaxAttempts() {
    try (TestServer server = TestServer.start(Map.of(
        "framewire.sources.reconnect.min-backoff-ms", 50,
        "framewire.sources.reconnect.max-backoff-ms", 100,
        "framewire.sources.reconnect.max-attempts", 3))) {
      Api api = new Api(server.port());
      String id = api.create(NOWHERE, "echo").json().get("id").asText();
      await("the source gives up after 3 failed attempts", () -> api.source(id).get("state").asText().equals("failed"));
      JsonNode status = api.source(id);
      assertEquals(2, status.get("reconnects").asInt(), status.toString());
      assertTrue(status.get("last_error").asText().startsWith("cannot open tcp://127.0.0.1:9: "), status.toString());
      assertTrue(status.get("last_error").asText().contains("refused"), status.toString());
      assertEquals(0, status.get("frames_decoded").asInt());
    }
  }

  @Test
  void backoffDoublesFromTheMinimumUpToTheCap() {
    SourceSettings settings = FramewireSettings.from(com.typesafe.config.ConfigFactory.parseMap(Map.of(
        "framewire.sources.reconnect.min-backoff-ms", 1000,
        "framewire.sources.reconnect.max-backoff-ms", 5000)).withFallback(com.typesafe.config.ConfigFactory.load())).sources();
    assertEquals(java.util.List.of(1000L, 2000L, 4000L, 5000L, 5000L),
        java.util.stream.IntStream.rangeClosed(1, 5).mapToObj(n -> settings.backoff(n).toMillis()).toList());
  }

  @Test
  void sourcesJsonKeepsTheSourcesAcrossARestartReadableByTheOwnerOnly() throws Exception {
    Map<String, Object> settings = Map.of("framewire.sources.state-dir", dir.toString());
    String url = "rtsp://admin:s3cret@127.0.0.1:9/cam";
    try (TestServer server = TestServer.start(settings)) {
      Api api = new Api(server.port());
      assertEquals(201, api.post("/sources", Map.of("url", url, "pipeline_id", "motion", "id", "door"), Map.of()).status());
      assertEquals(201, api.post("/sources", Map.of("url", NOWHERE, "pipeline_id", "echo", "id", "gone"), Map.of()).status());
      assertEquals(204, api.delete("/sources/gone").status());
    }
    Path file = dir.resolve("sources.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(Files.readString(file).contains(url), "the camera's URL as given, to reconnect after a restart");
    try (TestServer server = TestServer.start(settings)) {
      Api api = new Api(server.port());
      JsonNode sources = api.get("/sources").json();
      assertEquals(1, sources.size(), sources.toString());
      assertEquals("door", sources.get(0).get("id").asText());
      assertEquals("rtsp://admin:***@127.0.0.1:9/cam", sources.get(0).get("url").asText());
      assertEquals("motion", sources.get(0).get("pipeline_id").asText());
    }
  }

  private static void assertError(Api.Reply reply, int status, String error) {
    assertEquals(status, reply.status(), reply.body());
    assertEquals(error, reply.json().get("error").asText(), reply.body());
    assertTrue(reply.json().get("detail").asText().length() > 5, reply.body());
  }
}
