package io.framewire.http;

import static io.framewire.http.Http.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipelines API against the real server, without PIPELINES_DIR (pipelines live in memory):
 * create, use, replace while a session runs, delete. The API's answers alone (refusals, validation,
 * the list) are {@link WorkbenchRoutesTest}'s, in the route testkit.
 */
class WorkbenchApiTest {

  static TestServer server;
  static Http http;
  static final byte[] JPEG = TestJpegs.grayscale(64, 48, 128);

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
  void createUseReplaceWhileASessionRunsThenDelete() {
    var created = http.post("/pipelines", single("exp", "debug", "echo", "{}"));
    assertEquals(201, created.status(), created.raw());
    assertEquals("exp", created.body().get("id").asText());
    assertEquals(1, created.body().get("version").asInt());
    assertEquals("memory", created.body().get("source").asText());
    assertFalse(created.body().get("persisted").asBoolean());
    assertTrue(created.body().get("note").asText().contains("PIPELINES_DIR"), created.raw());
    assertEquals("/pipelines/exp", created.header("Location").orElseThrow());

    var listed = http.get("/pipelines/exp");
    assertEquals(200, listed.status());
    assertEquals("echo", listed.body().at("/nodes/0/tool_id").asText());

    try (WsTestClient before = server.stream("exp")) {
      JsonNode first = before.sendBinary(JPEG).next();
      assertEquals(JPEG.length, first.at("/result/bytes").asInt(), first.toString());

      var replaced = http.put("/pipelines/exp", single("exp", "image", "info", "{}"));
      assertEquals(200, replaced.status(), replaced.raw());
      assertEquals(2, replaced.body().get("version").asInt());

      // The open session finishes on version 1; a new one gets version 2.
      JsonNode stillEcho = before.sendBinary(JPEG).next();
      assertEquals(JPEG.length, stillEcho.at("/result/bytes").asInt(), stillEcho.toString());
      assertTrue(stillEcho.at("/result/width").isMissingNode(), stillEcho.toString());
      try (WsTestClient after = server.stream("exp")) {
        JsonNode info = after.sendBinary(JPEG).next();
        assertEquals(64, info.at("/result/width").asInt(), info.toString());
      }
      assertEquals(1, server.server.dag().retiredVersionsInUse(), "version 1 is still in use");

      assertEquals(204, http.delete("/pipelines/exp").status());
      assertEquals(404, http.get("/pipelines/exp").status());
      try (WsTestClient refused = server.stream("exp")) {
        assertEquals("invalid_pipeline", refused.next().get("error").asText());
      }
      JsonNode afterDelete = before.sendBinary(JPEG).next();
      assertEquals(JPEG.length, afterDelete.at("/result/bytes").asInt(), "the open session keeps running");
    }
    TestServer.await("the replaced versions are closed once their last session ended",
        () -> server.server.dag().retiredVersionsInUse() == 0);
  }

}
