package io.framewire.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** The sources API over real HTTP, for the tests. */
final class Api {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  record Reply(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  private final int port;

  Api(int port) {
    this.port = port;
  }

  Reply create(String url, String pipelineId) {
    return post("/sources", Map.of("url", url, "pipeline_id", pipelineId), Map.of());
  }

  Reply post(String path, Object body, Map<String, String> headers) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
          .POST(HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)))
          .header("Content-Type", "application/json");
      headers.forEach(request::header);
      return send(request.build());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** PUT {@code body} (JSON text) at {@code path}: a workbench edit of a pipeline. */
  Reply put(String path, String body) {
    return send(HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").build());
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  Reply delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE().build());
  }

  JsonNode source(String id) {
    Reply reply = get("/sources/" + id);
    if (reply.status() != 200) {
      throw new AssertionError("GET /sources/" + id + " → " + reply);
    }
    return reply.json();
  }

  /** A sample's value in the Prometheus scrape, or -1 if absent. */
  double metric(String name) {
    for (String line : get("/metrics").body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    return -1;
  }

  byte[] bytes(String path) {
    try {
      HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new AssertionError("GET " + path + " → " + response.statusCode());
      }
      return response.body();
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private static Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
