package io.framewire.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the workbench tests: JSON in, status and JSON out, 127.0.0.1 only. */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  record Reply(int status, JsonNode body, String raw, HttpResponse<String> response) {}

  private final int port;
  private final String token;

  Http(int port) {
    this(port, null);
  }

  Http(int port, String token) {
    this.port = port;
    this.token = token;
  }

  Http withToken(String token) {
    return new Http(port, token);
  }

  Reply get(String path) {
    return send("GET", path, null);
  }

  Reply post(String path, String body) {
    return send("POST", path, body);
  }

  Reply put(String path, String body) {
    return send("PUT", path, body);
  }

  Reply delete(String path) {
    return send("DELETE", path, null);
  }

  Reply send(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String raw = response.body();
      boolean isJson = response.headers().firstValue("content-type").orElse("").contains("json");
      JsonNode json = raw == null || raw.isBlank() || !isJson ? null : JSON.readTree(raw);
      return new Reply(response.statusCode(), json, raw, response);
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }

  /** A one-node pipeline definition as JSON. */
  static String single(String id, String plugin, String tool, String params) {
    return """
        {"id": "%s", "name": "Pipeline %s", "nodes": [{"id": "n", "plugin_id": "%s", "tool_id": "%s", "params": %s}],
         "edges": [], "entry_nodes": ["n"], "output_nodes": ["n"]}""".formatted(id, id, plugin, tool, params);
  }
}
