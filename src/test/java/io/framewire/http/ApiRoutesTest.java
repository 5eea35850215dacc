package io.framewire.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.streaming.SessionManager;
import io.framewire.pipeline.ToolRegistry;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.testkit.TestRoute;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /pipelines} and {@code GET /pipelines/{id}} of {@link ApiRoutes} over the server's
 * built-in and classpath pipelines, with pekko-http's route testkit (no port). {@code /health} is
 * {@link HealthTest}'s.
 */
class ApiRoutesTest extends JupiterRouteTest {

  static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load()); // application.conf: framewire.*
  static final ObjectMapper json = new ObjectMapper();

  private final TestRoute route = testRoute(new ApiRoutes(
      PipelineRegistry.load(ToolRegistry.fromClasspath(), Optional.empty()), json, testKit.system(),
      testKit.createTestProbe(SessionManager.Command.class).ref(), java.time.Duration.ofSeconds(5), null).route());

  ApiRoutesTest() {
    super(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private JsonNode body(TestRouteResult response) throws Exception {
    assertEquals("application/json", response.contentTypeString());
    return json.readTree(response.entityString());
  }

  @Test
  void pipelinesListsIdNameDescriptionAndNodes() throws Exception {
    TestRouteResult response = route.run(HttpRequest.GET("/pipelines"));
    assertEquals(200, response.statusCode());
    JsonNode list = body(response);
    assertTrue(list.isArray());
    JsonNode echo = null;
    for (JsonNode p : list) {
      assertTrue(p.has("id") && p.has("name") && p.has("description") && p.has("nodes"), p.toString());
      if (p.get("id").asText().equals("echo")) {
        echo = p;
      }
    }
    assertTrue(echo != null, "the built-in echo pipeline is listed");
    assertEquals("debug", echo.at("/nodes/0/plugin_id").asText());
    assertEquals("echo", echo.at("/nodes/0/tool_id").asText());
  }

  @Test
  void onePipelineIsItsDefinition() throws Exception {
    TestRouteResult response = route.run(HttpRequest.GET("/pipelines/echo"));
    assertEquals(200, response.statusCode());
    JsonNode echo = body(response);
    assertEquals("echo", echo.get("id").asText());
    assertTrue(echo.has("edges") && echo.has("entry_nodes") && echo.has("output_nodes"), echo.toString());
  }

  @Test
  void unknownPipelineIs404WithTheErrorShape() throws Exception {
    TestRouteResult response = route.run(HttpRequest.GET("/pipelines/nope"));
    assertEquals(404, response.statusCode());
    JsonNode body = body(response);
    assertEquals("not_found", body.get("error").asText());
    assertTrue(body.get("detail").asText().contains("nope"));
  }
}
