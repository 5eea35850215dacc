package io.framewire.http;

import static io.framewire.http.Http.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipelines API against the real server, without PIPELINES_DIR (pipelines live in memory):
 * create, use, replace while a session runs, delete, the refusals, and validation.
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
    assertEquals("/pipelines/exp", created.response().headers().firstValue("Location").orElseThrow());

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
      assertEquals(1, server.server.pipelines().retiredVersionsInUse(), "version 1 is still in use");

      assertEquals(204, http.delete("/pipelines/exp").status());
      assertEquals(404, http.get("/pipelines/exp").status());
      try (WsTestClient refused = server.stream("exp")) {
        assertEquals("invalid_pipeline", refused.next().get("error").asText());
      }
      JsonNode afterDelete = before.sendBinary(JPEG).next();
      assertEquals(JPEG.length, afterDelete.at("/result/bytes").asInt(), "the open session keeps running");
    }
    TestServer.await("the replaced versions are closed once their last session ended",
        () -> server.server.pipelines().retiredVersionsInUse() == 0);
  }

  @Test
  void putCreatesWhenAbsentAndTheBodyIdMustMatchTheUrl() {
    var created = http.put("/pipelines/upsert", single("upsert", "debug", "echo", "{}"));
    assertEquals(201, created.status(), created.raw());
    var mismatch = http.put("/pipelines/upsert", single("other", "debug", "echo", "{}"));
    assertEquals(400, mismatch.status());
    assertEquals(List.of("the body's id 'other' differs from the URL's 'upsert'"), errors(mismatch.body()));
    assertEquals(204, http.delete("/pipelines/upsert").status());
  }

  @Test
  void builtInPipelinesCannotBeChanged() {
    var post = http.post("/pipelines", single("echo", "debug", "echo", "{}"));
    assertEquals(409, post.status());
    assertEquals("conflict", post.body().get("error").asText());
    assertTrue(post.body().get("detail").asText().contains("built in"), post.raw());
    assertEquals(409, http.put("/pipelines/echo", single("echo", "image", "info", "{}")).status());
    assertEquals(409, http.delete("/pipelines/echo").status());
    assertEquals("debug", http.get("/pipelines/echo").body().at("/nodes/0/plugin_id").asText());
  }

  @Test
  void creatingAnExistingIdIsAConflictAndDeletingAnUnknownOneIsNotFound() {
    assertEquals(201, http.post("/pipelines", single("twice", "debug", "echo", "{}")).status());
    var again = http.post("/pipelines", single("twice", "debug", "echo", "{}"));
    assertEquals(409, again.status());
    assertTrue(again.body().get("detail").asText().contains("PUT /pipelines/twice"), again.raw());
    assertEquals(204, http.delete("/pipelines/twice").status());
    var gone = http.delete("/pipelines/twice");
    assertEquals(404, gone.status());
    assertEquals("not_found", gone.body().get("error").asText());
  }

  @Test
  void anInvalidDefinitionIsRefusedWithEveryProblem() {
    String body = """
        {"id": "bad", "name": "Bad",
         "nodes": [{"id": "m", "plugin_id": "motion", "tool_id": "detect", "params": {"treshold": 30, "alpha": 2}},
                   {"id": "s", "plugin_id": "debug", "tool_id": "slep"}],
         "edges": [{"from_node": "m", "to_node": "x"}], "entry_nodes": ["m"], "output_nodes": ["m"]}""";
    var refused = http.post("/pipelines", body);
    assertEquals(400, refused.status());
    assertEquals("invalid_pipeline", refused.body().get("error").asText());
    assertEquals(List.of(
        "edge to unknown node 'x'", // (reachability is not judged on a graph with broken edges)
        "node 'm': unknown param 'treshold' (did you mean 'threshold'?)",
        "node 'm': param 'alpha' must be in (0, 1], got 2",
        "node 's': unknown tool 'slep' in plugin 'debug' (did you mean 'sleep'?); its tools: echo, fail, sleep, spin"),
        errors(refused.body()));
    assertEquals(404, http.get("/pipelines/bad").status(), "nothing registered");
  }

  @Test
  void malformedJsonAndUnknownFieldsAreInvalidPipelines() {
    var malformed = http.post("/pipelines", "{\"id\": \"x\",");
    assertEquals(400, malformed.status());
    assertTrue(errors(malformed.body()).get(0).startsWith("malformed JSON"), malformed.raw());
    var unknownField = http.post("/pipelines", single("x", "debug", "echo", "{}").replace("\"entry_nodes\"", "\"entry_node\""));
    assertEquals(400, unknownField.status());
    assertTrue(errors(unknownField.body()).get(0).startsWith("unknown field 'entry_node'"), unknownField.raw());
  }

  @Test
  void validateReportsEveryProblemAndRegistersNothing() {
    var ok = http.post("/pipelines/validate", single("trial", "debug", "sleep", "{\"ms\": 1}"));
    assertEquals(200, ok.status());
    assertTrue(ok.body().get("valid").asBoolean());
    assertEquals(List.of(), errors(ok.body()));
    assertFalse(ok.body().get("exists").asBoolean());
    assertEquals(404, http.get("/pipelines/trial").status());

    var bad = http.post("/pipelines/validate", single("trial", "debug", "sleep", "{\"ms\": -1, \"jitter\": 2}"));
    assertEquals(200, bad.status());
    assertFalse(bad.body().get("valid").asBoolean());
    assertEquals(List.of("node 'n': unknown param 'jitter' (known: ms)", "node 'n': param 'ms' must be >= 0, got -1"),
        errors(bad.body()));

    var builtIn = http.post("/pipelines/validate", single("echo", "debug", "echo", "{}"));
    assertTrue(builtIn.body().get("exists").asBoolean());
    assertFalse(builtIn.body().get("editable").asBoolean());
  }

  @Test
  void theListSaysWhereEachPipelineComesFrom() {
    assertEquals(201, http.post("/pipelines", single("listed", "debug", "echo", "{}")).status());
    Map<String, JsonNode> byId = new java.util.HashMap<>();
    http.get("/pipelines").body().forEach(p -> byId.put(p.get("id").asText(), p));
    assertEquals("builtin", byId.get("echo").get("source").asText());
    assertFalse(byId.get("echo").get("editable").asBoolean());
    assertEquals("memory", byId.get("listed").get("source").asText());
    assertTrue(byId.get("listed").get("editable").asBoolean());
    assertEquals(1, byId.get("listed").get("version").asInt());
    var status = http.get("/workbench").body();
    assertEquals("memory", status.get("storage").asText());
    assertFalse(status.get("watching").asBoolean());
    assertEquals("loopback", status.get("admin").asText());
    assertEquals(204, http.delete("/pipelines/listed").status());
  }

  static List<String> errors(JsonNode body) {
    List<String> errors = new ArrayList<>();
    body.get("errors").forEach(e -> errors.add(e.asText()));
    return errors;
  }

  @Test
  void aResultWithoutTimingsHasNone() {
    try (WsTestClient client = server.stream("echo")) {
      JsonNode answer = client.sendBinary(JPEG).next();
      assertNull(answer.get("timings_ms"), answer.toString());
    }
  }
}
