package io.framewire.mcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.eventstore.TickPlugin;
import io.framewire.inference.TestModels;
import io.framewire.pipeline.PipelineJson;
import io.framewire.testing.StreamServers;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.TestVideos;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * framewire as an MCP server, driven by a client framewire does not write: the official TypeScript
 * SDK ({@code @modelcontextprotocol/sdk}, src/test/mcp-client, installed by scripts/test.sh with
 * {@code npm ci}) run by node against a real server. The server stores events, runs the test ONNX
 * detector ({@code yolov8_const}: three boxes on any frame) with a tick node (one event per frame),
 * requires a stream token, and watches a live camera that ffmpeg serves. The client connects with the
 * token, lists the tools and calls each, with good and bad arguments; without the token it cannot
 * connect. Origins and methods are checked over plain HTTP.
 */
class McpClientTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final Path CLIENT = Path.of("src", "test", "mcp-client");
  private static final String TOKEN = "s3cret-token";
  private static final String ADMIN = "admin-token";
  private static final String DETECT = """
      {"id":"detect","name":"detect","description":"three boxes and a tick per frame","nodes":[
         {"id":"d","plugin_id":"onnx","tool_id":"detect","params":{"model":"yolov8_const.onnx"}},
         {"id":"ticker","plugin_id":"evt","tool_id":"tick","params":{"label":"door"}}],
       "edges":[],"entry_nodes":["d","ticker"],"output_nodes":["d","ticker"]}""";

  @TempDir
  Path data;

  @Test
  void theTypeScriptSdkListsTheToolsAndCallsEachOne() throws Exception {
    Path input = Files.createDirectory(data.resolve("input"));
    byte[] blue = TestJpegs.solid(128, 64, Color.BLUE);
    Files.write(input.resolve("blue.jpg"), blue);
    String video = TestVideos.numberedGray(input, 3).getFileName().toString();
    Map<String, Object> settings = Map.of(
        "framewire.events.enabled", true,
        "framewire.events.data-dir", data.toString(),
        "framewire.jobs.input-dir", input.toString(),
        "framewire.inference.models-dir", TestModels.dir().toString(),
        "framewire.stream.auth-token", TOKEN,
        "framewire.admin.token", ADMIN,
        "framewire.mcp.max-image-mb", 1);
    try (StreamServers.Server camera = StreamServers.ffmpegHttp(StreamServers.freePort(), 10);
        TestServer server = TestServer.start(settings, List.of(new TickPlugin()), List.of(PipelineJson.read(DETECT)))) {
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> created = post(base + "/sources",
          "{\"id\":\"door\",\"url\":\"" + camera.url + "\",\"pipeline_id\":\"detect\"}",
          Map.of("Authorization", "Bearer " + ADMIN));
      assertEquals(201, created.statusCode(), created.body());
      // Three at least: query_events asks for a page of two and expects a next one.
      TestServer.await("the camera's events are stored", () ->
          json(get(base + "/events?stream=source:door", Map.of("Authorization", "Bearer " + TOKEN)).body())
              .path("events").size() >= 3);

      byte[] tooLarge = new byte[1024 * 1024 + 1];
      new Random(7).nextBytes(tooLarge);
      List<Map<String, Object>> calls = List.of(
          call("list_pipelines", Map.of()),
          call("analyze_image", Map.of("pipeline_id", "detect", "image_base64", base64(blue))),
          call("analyze_image", Map.of("pipeline_id", "nope", "image_base64", base64(blue))),
          call("analyze_image", Map.of("pipeline_id", "detect", "image_base64", "not base64!")),
          call("analyze_image", Map.of("pipeline_id", "detect", "image_base64", base64(tooLarge))),
          call("analyze_image", Map.of("pipeline_id", "detect", "path", "../blue.jpg")),
          call("list_sources", Map.of()),
          call("look_at_source", Map.of("source_id", "door")),
          call("look_at_source", Map.of("source_id", "garage")),
          call("query_events", Map.of("stream", "source:door", "limit", 2, "order", "asc")),
          call("query_events", Map.of("since", "yesterday")),
          call("event_counts", Map.of("stream", List.of("source:door"), "group_by", List.of("type", "label"))),
          call("no_such_tool", Map.of()),
          call("list_sources", Map.of("bogus", 1)),
          call("query_events", Map.of("limit", 500)),
          call("analyze_image", Map.of("pipeline_id", "detect", "path", "blue.jpg")),
          call("start_job", Map.of("pipeline_id", "detect", "input", "blue.jpg")),
          call("job_status", Map.of("job_id", "nope")),
          call("job_results", Map.of("job_id", "nope")));
      JsonNode out = runClient(base + "/mcp", TOKEN, calls);

      assertFalse(out.has("error"), out.toString());
      assertEquals("framewire", out.path("server").path("name").asText());
      List<String> names = new ArrayList<>();
      out.path("tools").forEach(tool -> names.add(tool.path("name").asText()));
      assertEquals(List.of("list_pipelines", "analyze_image", "list_sources", "look_at_source", "query_events",
          "event_counts", "start_job", "job_status", "job_results"), names);
      for (JsonNode tool : out.path("tools")) {
        assertEquals("object", tool.path("inputSchema").path("type").asText(), tool.toString());
        assertTrue(tool.path("description").asText().length() > 20, tool.toString());
      }
      JsonNode analyzeSchema = out.path("tools").path(1).path("inputSchema");
      assertEquals(List.of("pipeline_id", "image_base64", "path"), fieldNames(analyzeSchema.path("properties")));
      assertEquals("[\"pipeline_id\"]", analyzeSchema.path("required").toString());
      assertEquals("[\"source_id\"]", out.path("tools").path(3).path("inputSchema").path("required").toString());

      JsonNode calls0 = out.path("calls");
      JsonNode pipelines = ok(calls0.path(0)).path("structuredContent").path("pipelines");
      JsonNode detect = null;
      for (JsonNode p : pipelines) {
        if (p.path("id").asText().equals("detect")) {
          detect = p;
        }
      }
      assertNotNull(detect, pipelines.toString());
      assertEquals("[\"d: onnx/detect\",\"ticker: evt/tick\"]", detect.path("nodes").toString());

      JsonNode analyzed = ok(calls0.path(1));
      JsonNode analysis = analyzed.path("structuredContent");
      assertEquals(List.of("pipeline_id", "width", "height", "boxes", "result"), fieldNames(analysis));
      assertEquals(128, analysis.path("width").asInt());
      assertEquals(64, analysis.path("height").asInt());
      assertEquals(3, analysis.path("boxes").asInt());
      assertEquals(3, analysis.path("result").path("detections").size());
      assertEquals("person", analysis.path("result").path("detections").path(0).path("label").asText());
      // The same JSON (node's JSON.parse reads 44.0 as 44: numbers compare by value).
      assertTrue(analysis.equals((a, b) -> a.isNumber() && b.isNumber()
              ? Double.compare(a.asDouble(), b.asDouble()) : a.equals(b) ? 0 : 1,
          json(analyzed.path("content").path(0).path("text").asText())), "the text is the JSON");
      BufferedImage drawn = image(analyzed.path("content").path(1));
      assertEquals(128, drawn.getWidth());
      assertEquals(64, drawn.getHeight());
      // The first box's left edge (x = 44) is drawn over the blue picture.
      assertTrue(new Color(drawn.getRGB(44, 30)).getRed() > 150, "a box is drawn at x=44");
      assertTrue(new Color(drawn.getRGB(5, 5)).getBlue() > 150, "the picture stays blue where no box is");

      toolError(calls0.path(2), "invalid_pipeline", "no pipeline 'nope'; known: ");
      toolError(calls0.path(3), "invalid_image", "'image_base64' is not valid base64");
      toolError(calls0.path(4), "image_too_large", "the image is 1.0 MB; at most 1 MB (MCP_MAX_IMAGE_MB)");
      toolError(calls0.path(5), "forbidden_path", "'path' must name a file under JOBS_INPUT_DIR, got '../blue.jpg'");

      JsonNode sources = ok(calls0.path(6)).path("structuredContent").path("sources");
      assertEquals(1, sources.size(), sources.toString());
      assertEquals("door", sources.path(0).path("id").asText());
      assertEquals("detect", sources.path(0).path("pipeline_id").asText());

      JsonNode looked = ok(calls0.path(7));
      JsonNode look = looked.path("structuredContent");
      assertEquals(List.of("source", "frame_index", "result", "boxes", "event_counts"), fieldNames(look));
      assertEquals("door", look.path("source").path("id").asText());
      assertTrue(look.path("frame_index").isNumber(), look.toString());
      assertEquals(3, look.path("boxes").asInt(), look.toString());
      assertEquals("door", look.path("result").path("events").path(0).path("label").asText(), look.toString());
      assertEquals("tick", look.path("event_counts").path(0).path("type").asText(), look.toString());
      assertTrue(look.path("event_counts").path(0).path("count").asLong() > 0, look.toString());
      BufferedImage frame = image(looked.path("content").path(1));
      assertEquals(160, frame.getWidth());
      assertEquals(120, frame.getHeight());
      toolError(calls0.path(8), "unknown_source", "no live source 'garage'; known: door");

      JsonNode page = ok(calls0.path(9)).path("structuredContent");
      assertEquals(2, page.path("events").size(), page.toString());
      JsonNode first = page.path("events").path(0);
      assertEquals("tick", first.path("type").asText());
      assertEquals("source:door", first.path("stream").asText());
      assertEquals("detect", first.path("pipeline_id").asText());
      assertEquals(Long.toString(page.path("events").path(1).path("id").asLong()), page.path("next").asText());
      toolError(calls0.path(10), "invalid_argument",
          "since must be an ISO-8601 time (2025-06-01T12:00:00Z) or epoch milliseconds, got 'yesterday'");

      JsonNode counts = ok(calls0.path(11)).path("structuredContent");
      assertEquals("[\"type\",\"label\"]", counts.path("group_by").toString());
      assertEquals(1, counts.path("counts").size(), counts.toString());
      assertEquals("tick", counts.path("counts").path(0).path("type").asText());
      assertEquals("door", counts.path("counts").path(0).path("label").asText());

      // A tool that does not exist is a protocol error (the SDK's words), not a tool result.
      assertEquals("MCP error -32602: Unknown tool: invalid_tool_name", calls0.path(12).path("error").asText());

      // Arguments outside the declared schema: the SDK's validator refuses them before the tool runs.
      assertTrue(calls0.path(13).path("result").path("isError").asBoolean(), calls0.path(13).toString());
      assertEquals("Tool (list_sources) input validation failed: Validation failed: JSON schema validation errors: "
          + "[: property 'bogus' is not defined in the schema and the schema does not allow additional properties]",
          calls0.path(13).path("result").path("content").path(0).path("text").asText());
      assertTrue(calls0.path(14).path("result").path("isError").asBoolean(), calls0.path(14).toString());
      assertEquals("Tool (query_events) input validation failed: Validation failed: JSON schema validation errors: "
          + "[/limit: must have a maximum value of 200]",
          calls0.path(14).path("result").path("content").path(0).path("text").asText());
      JsonNode byPath = ok(calls0.path(15)).path("structuredContent");
      assertEquals(3, byPath.path("boxes").asInt(), byPath.toString());
      assertEquals(128, byPath.path("width").asInt());
      // The stream token is no admin token: starting a job follows the admin rule, as POST /jobs does.
      toolError(calls0.path(16), "forbidden", "the admin token is not valid");
      toolError(calls0.path(17), "unknown_job", "no job with id 'nope'");
      toolError(calls0.path(18), "unknown_job", "no job with id 'nope'");

      // The admin token as the header, the stream token in the URL: a job over a video of three frames.
      JsonNode started = runClient(base + "/mcp?token=" + TOKEN, ADMIN, List.of(
          call("start_job", Map.of("pipeline_id", "detect", "input", video)),
          call("start_job", Map.of("pipeline_id", "detect", "input", "../secret.mp4"))));
      JsonNode job = ok(started.path("calls").path(0)).path("structuredContent");
      String jobId = job.path("id").asText();
      assertEquals("detect", job.path("pipeline_id").asText(), job.toString());
      assertTrue(List.of("queued", "running").contains(job.path("state").asText()), job.toString());
      toolError(started.path("calls").path(1), "invalid_input", "input must not contain '..'");
      TestServer.await("the job is done", () -> json(get(base + "/jobs/" + jobId,
          Map.of("Authorization", "Bearer " + TOKEN)).body()).path("state").asText().equals("done"));

      JsonNode read = runClient(base + "/mcp", TOKEN, List.of(
          call("job_status", Map.of("job_id", jobId)),
          call("job_status", Map.of()),
          call("job_results", Map.of("job_id", jobId, "limit", 2)),
          call("job_results", Map.of("job_id", jobId, "offset", 2))));
      JsonNode status = ok(read.path("calls").path(0)).path("structuredContent");
      assertEquals("done", status.path("state").asText(), status.toString());
      assertEquals(3, status.path("frames_done").asInt(), status.toString());
      JsonNode listed = ok(read.path("calls").path(1)).path("structuredContent").path("jobs");
      assertEquals(1, listed.size(), listed.toString());
      assertEquals(jobId, listed.path(0).path("id").asText());
      JsonNode firstPage = ok(read.path("calls").path(2)).path("structuredContent");
      assertEquals(List.of("job_id", "offset", "lines", "next_offset", "complete"), fieldNames(firstPage));
      assertEquals(2, firstPage.path("lines").size(), firstPage.toString());
      assertEquals(0, firstPage.path("lines").path(0).path("frame_index").asInt());
      assertEquals(1, firstPage.path("lines").path(1).path("frame_index").asInt());
      assertEquals(3, firstPage.path("lines").path(1).path("result").path("detections").size(), firstPage.toString());
      assertEquals(2, firstPage.path("next_offset").asInt());
      assertFalse(firstPage.path("complete").asBoolean());
      JsonNode lastPage = ok(read.path("calls").path(3)).path("structuredContent");
      assertEquals(1, lastPage.path("lines").size(), lastPage.toString());
      assertEquals(2, lastPage.path("lines").path(0).path("frame_index").asInt());
      assertTrue(lastPage.path("complete").asBoolean(), lastPage.toString());

      JsonNode refused = runClient(base + "/mcp", "", List.of());
      assertTrue(refused.path("error").asText().contains("this server needs a token"), refused.toString());
    }
  }

  @Test
  void originsAndMethodsFollowTheMcpRules() throws Exception {
    try (TestServer server = TestServer.start(Map.of("framewire.mcp.allowed-origins", "https://agents.example",
        "framewire.mcp.max-image-mb", 1))) {
      String mcp = "http://127.0.0.1:" + server.port() + "/mcp";
      String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
      HttpResponse<String> rebound = post(mcp, ping, Map.of("Origin", "http://attacker.example:8080"));
      assertEquals(403, rebound.statusCode());
      assertEquals("forbidden_origin", json(rebound.body()).path("error").asText());
      assertEquals("origin 'http://attacker.example:8080' may not use /mcp; allowed: local pages (localhost, "
          + "127.0.0.1, [::1]), https://agents.example (MCP_ALLOWED_ORIGINS)", json(rebound.body()).path("detail").asText());
      for (String origin : List.of("http://localhost:6274", "http://127.0.0.1:3000", "https://agents.example")) {
        HttpResponse<String> pong = post(mcp, ping, Map.of("Origin", origin));
        assertEquals(200, pong.statusCode(), origin);
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}", pong.body(), origin);
        assertEquals("application/json", pong.headers().firstValue("Content-Type").orElse(""));
      }
      HttpResponse<String> notification = post(mcp, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
          Map.of());
      assertEquals(202, notification.statusCode());
      assertEquals("", notification.body());
      HttpResponse<String> garbage = post(mcp, "{not json", Map.of());
      assertEquals(400, garbage.statusCode());
      assertEquals(-32700, json(garbage.body()).path("error").path("code").asInt());
      HttpResponse<String> version = post(mcp, ping, Map.of("MCP-Protocol-Version", "1999-01-01"));
      assertEquals(400, version.statusCode());
      assertTrue(json(version.body()).path("error").path("message").asText()
          .startsWith("unsupported MCP-Protocol-Version '1999-01-01'; supported: "), version.body());
      // 1 MB of image as base64, plus 64 KB: a larger body is not read.
      HttpResponse<String> huge = post(mcp, "\"" + "A".repeat(1024 * 1024 * 4 / 3 + 64 * 1024) + "\"", Map.of());
      assertEquals(413, huge.statusCode(), huge.body());
      assertEquals("too_large", json(huge.body()).path("error").asText());
      HttpResponse<String> stream = get(mcp, Map.of("Accept", "text/event-stream"));
      assertEquals(405, stream.statusCode());
      assertEquals("POST", stream.headers().firstValue("Allow").orElse(""));
      assertEquals("method_not_allowed", json(stream.body()).path("error").asText());
    }
    try (TestServer server = TestServer.start()) {
      // Over pekko-http's 8 MB default for a request, within the default 10 MB image as base64.
      HttpResponse<String> large = post("http://127.0.0.1:" + server.port() + "/mcp",
          "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "A".repeat(9_000_000)
              + "\"}}", Map.of());
      assertEquals(200, large.statusCode(), large.body());
    }
    try (TestServer off = TestServer.start(Map.of("framewire.mcp.enabled", false))) {
      HttpResponse<String> disabled = post("http://127.0.0.1:" + off.port() + "/mcp", "{}", Map.of());
      assertEquals(404, disabled.statusCode());
      assertEquals("mcp_disabled", json(disabled.body()).path("error").asText());
    }
  }

  /** Runs the SDK's client on {@code calls}: its JSON output. */
  private JsonNode runClient(String url, String token, List<Map<String, Object>> calls) throws Exception {
    assertTrue(Files.isDirectory(CLIENT.resolve("node_modules").resolve("@modelcontextprotocol")),
        "the MCP client is not installed: run 'npm ci' in " + CLIENT + " (scripts/test.sh does)");
    Path file = data.resolve("calls-" + System.nanoTime() + ".json");
    JSON.writeValue(file.toFile(), calls);
    Process node = new ProcessBuilder("node", "client.mjs", url, token, file.toAbsolutePath().toString())
        .directory(CLIENT.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    String stdout = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(node.waitFor(60, TimeUnit.SECONDS), "the client ends");
    assertEquals(0, node.exitValue(), stdout);
    return json(stdout);
  }

  private static Map<String, Object> call(String name, Map<String, Object> arguments) {
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("name", name);
    call.put("arguments", arguments);
    return call;
  }

  /** A successful call's result. */
  private static JsonNode ok(JsonNode call) {
    JsonNode result = call.path("result");
    assertFalse(result.isMissingNode(), call.toString());
    assertFalse(result.path("isError").asBoolean(), call.toString());
    return result;
  }

  private static void toolError(JsonNode call, String error, String detailStart) {
    JsonNode result = call.path("result");
    assertTrue(result.path("isError").asBoolean(), call.toString());
    assertEquals(error, result.path("structuredContent").path("error").asText(), call.toString());
    String detail = result.path("structuredContent").path("detail").asText();
    assertTrue(detail.startsWith(detailStart), detail);
    assertEquals(detail, result.path("content").path(0).path("text").asText());
  }

  private static BufferedImage image(JsonNode content) throws IOException {
    assertEquals("image", content.path("type").asText(), content.toString().substring(0, 100));
    assertEquals("image/jpeg", content.path("mimeType").asText());
    byte[] bytes = Base64.getDecoder().decode(content.path("data").asText());
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    assertNotNull(image, "a decodable JPEG");
    return image;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }

  private static String base64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  private static HttpResponse<String> post(String url, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return send(request.build());
  }

  private static HttpResponse<String> get(String url, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    headers.forEach(request::header);
    return send(request.build());
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
