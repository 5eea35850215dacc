package io.framewire.mcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.testing.TestJpegs;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tools' argument checks without a server: each bad argument is a {@link ToolError} with its code
 * and the words the agent reads, and {@link FramewireMcp#call} turns it into an {@code isError}
 * result (and any other failure into {@code internal_error}, naming no class).
 */
class McpToolArgumentsTest {

  private static final int MB = 1024 * 1024;

  @TempDir
  Path dir;

  @Test
  void argumentsAreCheckedForTypeAndRange() {
    Args args = new Args(Map.of("name", 5, "limit", 2.5, "list", List.of("a", 3), "blank", "  "));
    refused("invalid_argument", "'name' must be a string", () -> args.required("name"));
    refused("invalid_argument", "'missing' is required", () -> args.required("missing"));
    refused("invalid_argument", "'blank' is required", () -> args.required("blank"));
    refused("invalid_argument", "'limit' must be a whole number 1..200, got 2.5", () -> args.integer("limit", 1, 200, 20));
    refused("invalid_argument", "'list' must be a string or a list of strings without commas", () -> args.list("list"));
    Args good = new Args(Map.of("limit", 7, "list", List.of("a", "b"), "one", "x", "since", 1700000000000L));
    assertEquals(7, good.integer("limit", 1, 200, 20));
    assertEquals(20, good.integer("absent", 1, 200, 20));
    assertEquals("a,b", good.list("list"));
    assertEquals("x", good.list("one"));
    assertEquals("1700000000000", good.time("since"));
    assertEquals(null, new Args(null).list("list"));
  }

  @Test
  void anImageIsBase64OrAPathUnderTheInputFolderAndBounded() throws Exception {
    ImageInput noPaths = new ImageInput(MB, 40_000_000, Optional.empty());
    byte[] jpeg = TestJpegs.solid(32, 16, Color.RED);
    String base64 = Base64.getEncoder().encodeToString(jpeg);
    refused("invalid_argument", "give exactly one of 'image_base64'", () -> noPaths.read(new Args(Map.of())));
    refused("invalid_argument", "give exactly one of 'image_base64'",
        () -> noPaths.read(new Args(Map.of("image_base64", base64, "path", "a.jpg"))));
    refused("invalid_image", "'image_base64' is not valid base64: ",
        () -> noPaths.read(new Args(Map.of("image_base64", "abc$"))));
    refused("invalid_image", "the bytes are not an image this server reads (JPEG, PNG, BMP, GIF)",
        () -> noPaths.read(new Args(Map.of("image_base64", Base64.getEncoder().encodeToString(new byte[100])))));
    refused("image_too_large", "the image is 1.5 MB; at most 1 MB (MCP_MAX_IMAGE_MB)",
        () -> noPaths.read(new Args(Map.of("image_base64", "A".repeat(2 * MB)))));
    refused("paths_disabled", "this server takes no paths (JOBS_INPUT_DIR is not set)",
        () -> noPaths.read(new Args(Map.of("path", "a.jpg"))));
    refused("image_too_large", "the image is 32x16 pixels; at most 100 pixels (STREAM_MAX_FRAME_PIXELS)",
        () -> new ImageInput(MB, 100, Optional.empty()).read(new Args(Map.of("image_base64", base64))));

    ImageInput.Image read = noPaths.read(new Args(Map.of("image_base64", "data:image/jpeg;base64," + base64)));
    assertArrayEquals(jpeg, read.jpeg(), "a JPEG goes to the pipeline as it came");
    assertEquals(32, read.width());
    assertEquals(16, read.height());

    BufferedImage picture = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(picture, "png", png);
    ImageInput.Image fromPng = noPaths.read(new Args(Map.of("image_base64",
        Base64.getEncoder().encodeToString(png.toByteArray()))));
    assertEquals(0xff, fromPng.jpeg()[0] & 0xff, "a PNG is re-encoded as JPEG");
    assertEquals(0xd8, fromPng.jpeg()[1] & 0xff);
    assertEquals(20, fromPng.width());

    Path input = Files.createDirectory(dir.resolve("input"));
    Files.write(input.resolve("cat.jpg"), jpeg);
    Files.write(dir.resolve("secret.jpg"), jpeg);
    Files.createSymbolicLink(input.resolve("link.jpg"), dir.resolve("secret.jpg"));
    Files.write(input.resolve("big.jpg"), new byte[MB + 1]);
    ImageInput paths = new ImageInput(MB, 40_000_000, Optional.of(input));
    assertArrayEquals(jpeg, paths.read(new Args(Map.of("path", "cat.jpg"))).jpeg());
    refused("forbidden_path", "'path' must name a file under JOBS_INPUT_DIR, got '../secret.jpg'",
        () -> paths.read(new Args(Map.of("path", "../secret.jpg"))));
    refused("forbidden_path", "'path' must name a file under JOBS_INPUT_DIR, got 'link.jpg'",
        () -> paths.read(new Args(Map.of("path", "link.jpg"))));
    refused("not_found", "no file 'dog.jpg' under JOBS_INPUT_DIR", () -> paths.read(new Args(Map.of("path", "dog.jpg"))));
    refused("image_too_large", "the image is 1.0 MB; at most 1 MB", () -> paths.read(new Args(Map.of("path", "big.jpg"))));
  }

  @Test
  void toolsRefuseUnknownPipelinesAStoreThatIsOffAndNonAdminJobs() {
    Results results = new Results(McpJsonDefaults.getMapper());
    PipelineRegistry pipelines = PipelineRegistry.of(ToolRegistry.fromClasspath(), List.of(PipelineJson.read(
        "{\"id\":\"echo2\",\"name\":\"e\",\"nodes\":[{\"id\":\"n\",\"plugin_id\":\"debug\",\"tool_id\":\"echo\"}],"
            + "\"edges\":[],\"entry_nodes\":[\"n\"],\"output_nodes\":[\"n\"]}")));
    PipelineTools tools = new PipelineTools(pipelines, null, new ImageInput(MB, 1000, Optional.empty()),
        Duration.ofSeconds(1), results);
    refused("invalid_pipeline", "no pipeline 'nope'; known: echo2",
        () -> tools.analyze(new Args(Map.of("pipeline_id", "nope", "image_base64", "AAAA"))));

    EventTools events = new EventTools(Optional.empty(), results);
    refused("events_disabled", "this server keeps no events (framewire.events.enabled = false, EVENTS_ENABLED)",
        () -> events.query(new Args(Map.of())));
    refused("events_disabled", "this server keeps no events", () -> events.counts(new Args(Map.of("bucket", "1h"))));

    JobTools jobs = new JobTools(Optional.empty(), results);
    refused("jobs_disabled", "this server runs no jobs", () -> jobs.start(new Args(Map.of(), Caller.admin())));
    refused("jobs_disabled", "this server runs no jobs", () -> jobs.status(new Args(Map.of())));
    refused("forbidden", "only clients on this machine may change the server", () -> Caller.reader(
        "only clients on this machine may change the server; set ADMIN_TOKEN to allow others with a token")
        .requireAdmin());

    SourceTools sources = new SourceTools(Optional.empty(), Optional.empty(), null, results);
    refused("sources_disabled", "this node runs no live sources", () -> sources.list(new Args(Map.of())));
  }

  @Test
  void aCallAnswersRefusalsAndFailuresAsErrorResults() {
    McpSchema.CallToolResult refused = FramewireMcp.call(tool(args -> {
      throw new ToolError("unknown_source", "no live source 'x'; known: none");
    }), new McpSchema.CallToolRequest("t", Map.of()), Caller.admin());
    assertTrue(refused.isError());
    assertEquals(Map.of("error", "unknown_source", "detail", "no live source 'x'; known: none"),
        refused.structuredContent());
    assertEquals("no live source 'x'; known: none", ((McpSchema.TextContent) refused.content().get(0)).text());

    McpSchema.CallToolResult failed = FramewireMcp.call(tool(args -> {
      throw new IllegalStateException("java.lang.Secret at io.framewire.Inner");
    }), new McpSchema.CallToolRequest("t", new HashMap<>()), Caller.admin());
    assertTrue(failed.isError());
    assertEquals(Map.of("error", "internal_error", "detail", "the tool failed; the server's log says why"),
        failed.structuredContent());
  }

  @Test
  void localOriginsAndConfiguredOnesMayCall() {
    OriginRule rule = new OriginRule(List.of("https://Agents.example/"));
    for (String origin : List.of("http://localhost:6274", "http://127.0.0.1", "https://127.3.2.1:8443",
        "http://[::1]:5173", "https://agents.example")) {
      assertEquals(Optional.empty(), rule.refusal(Optional.of(origin)), origin);
    }
    assertEquals(Optional.empty(), rule.refusal(Optional.empty()), "a program sends no Origin");
    for (String origin : List.of("http://localhost.attacker.example", "null", "file://localhost",
        "http://128.0.0.1", "https://agents.example:444")) {
      assertTrue(rule.refusal(Optional.of(origin)).isPresent(), origin);
    }
    assertEquals(Optional.empty(), new OriginRule(List.of("*")).refusal(Optional.of("https://any.example")));
  }

  private static McpTool tool(java.util.function.Function<Args, McpSchema.CallToolResult> call) {
    return new McpTool("t", "T", "a test tool", Schemas.object(List.of()), call);
  }

  private static void refused(String code, String detailStart, Executable call) {
    ToolError error = assertThrows(ToolError.class, call);
    assertEquals(code, error.code(), error.getMessage());
    assertTrue(error.getMessage().startsWith(detailStart), error.getMessage());
  }
}
