package io.framewire.http;

import static io.framewire.http.Http.single;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.streaming.SessionManager;
import io.framewire.pipeline.ToolRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The pipelines API's answers, without PIPELINES_DIR (pipelines live in memory): create, replace,
 * delete, the refusals, validation and the list. {@link ApiRoutes} and {@link WorkbenchRoutes} as the
 * server joins them, in pekko-http's route testkit (no port; requests come from 127.0.0.1, so the
 * loopback rule lets them change pipelines). Using a pipeline while it is replaced is {@link
 * WorkbenchApiTest}'s, against the real server.
 */
class WorkbenchRoutesTest extends JupiterRouteTest {

  static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load()); // application.conf: framewire.*
  final Http http = new Http(testRoute(pipelinesApi(testKit, new AdminAccess(""))));

  WorkbenchRoutesTest() {
    super(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /**
   * {@link ApiRoutes} and {@link WorkbenchRoutes} joined as the server joins them, over a fresh
   * in-memory registry of the classpath's tools and pipelines (the session manager is a probe).
   */
  static Route pipelinesApi(ActorTestKit testKit, AdminAccess admin) {
    ToolRegistry tools = ToolRegistry.fromClasspath();
    PipelineRegistry pipelines = PipelineRegistry.load(tools, Optional.empty());
    return Directives.concat(
        new ApiRoutes(pipelines, Http.JSON, testKit.system(), testKit.createTestProbe(SessionManager.Command.class).ref(),
            java.time.Duration.ofSeconds(5), null).route(),
        new WorkbenchRoutes(pipelines, tools, admin, false, Http.JSON).route());
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
        "node 's': unknown tool 'slep' in plugin 'debug' (did you mean 'sleep'?); its tools: echo, event, fail, sleep, spin"),
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
}
