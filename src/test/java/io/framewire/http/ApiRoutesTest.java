package io.framewire.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP endpoints against the real server on a free port. */
class ApiRoutesTest {

  static TestServer server;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() {
    server = TestServer.start();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthIsOk() throws Exception {
    HttpResponse<String> response = get("/health");
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
    assertEquals(json.readTree("{\"status\":\"ok\"}"), json.readTree(response.body()));
  }

  @Test
  void pipelinesListsIdNameDescriptionAndNodes() throws Exception {
    HttpResponse<String> response = get("/pipelines");
    assertEquals(200, response.statusCode());
    JsonNode list = json.readTree(response.body());
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
    HttpResponse<String> response = get("/pipelines/echo");
    assertEquals(200, response.statusCode());
    JsonNode echo = json.readTree(response.body());
    assertEquals("echo", echo.get("id").asText());
    assertTrue(echo.has("edges") && echo.has("entry_nodes") && echo.has("output_nodes"), echo.toString());
  }

  @Test
  void unknownPipelineIs404WithTheErrorShape() throws Exception {
    HttpResponse<String> response = get("/pipelines/nope");
    assertEquals(404, response.statusCode());
    JsonNode body = json.readTree(response.body());
    assertEquals("not_found", body.get("error").asText());
    assertTrue(body.get("detail").asText().contains("nope"));
  }
}
