package io.framewire.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The jobs API as a client calls it, over a real server's port. */
final class JobsHttp {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private final int port;

  JobsHttp(int port) {
    this.port = port;
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** A GET whose body is read as it comes. */
  HttpResponse<java.io.InputStream> sendStreaming(String path) {
    try {
      return CLIENT.send(request(path).build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
  }

  HttpResponse<String> postJson(String body) {
    return send(request("/jobs").header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Submits a path job and returns its id (202 expected). */
  String submit(String pipelineId, String input) {
    HttpResponse<String> response = postJson(
        "{\"pipeline_id\":\"" + pipelineId + "\",\"input\":\"" + input + "\"}");
    assertEquals(202, response.statusCode(), response.body());
    return json(response).get("id").asText();
  }

  /** A multipart upload of {@code file} with {@code fields}. */
  HttpResponse<String> upload(Path file, Map<String, String> fields) {
    try {
      return upload(Files.readAllBytes(file), file.getFileName().toString(), fields);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  HttpResponse<String> upload(byte[] bytes, String name, Map<String, String> fields) {
    String boundary = "framewire-test-boundary";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    fields.forEach((key, value) -> write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + key
        + "\"\r\n\r\n" + value + "\r\n"));
    write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
        + "\"\r\nContent-Type: video/mp4\r\n\r\n");
    body.writeBytes(bytes);
    write(body, "\r\n--" + boundary + "--\r\n");
    return send(request("/jobs").header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  JsonNode status(String id) {
    HttpResponse<String> response = send(request("/jobs/" + id));
    assertEquals(200, response.statusCode(), response.body());
    return json(response);
  }

  /** Waits until the job is in {@code state} and returns its status. */
  JsonNode await(String id, String state) {
    JsonNode[] last = {null};
    TestServer.await(() -> "job " + id + " " + state + ", last " + last[0], java.time.Duration.ofSeconds(20), () -> {
      last[0] = status(id);
      return last[0].get("state").asText().equals(state);
    });
    return last[0];
  }

  List<String> results(String id) {
    HttpResponse<String> response = send(request("/jobs/" + id + "/results"));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("application/x-ndjson", response.headers().firstValue("Content-Type").orElse(""));
    return response.body().lines().toList();
  }

  HttpResponse<String> delete(String id) {
    return send(request("/jobs/" + id).DELETE());
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError(response.body(), e);
    }
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
