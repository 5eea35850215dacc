package io.framewire.mcp;

import io.framewire.engine.Failures;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.video.VideoFilePipelineService;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code list_pipelines} and {@code analyze_image}: the pipelines, and one of them run on a picture. */
final class PipelineTools {

  private final PipelineRegistry pipelines;
  private final VideoFilePipelineService video;
  private final ImageInput images;
  private final Duration timeout;
  private final Results results;

  PipelineTools(PipelineRegistry pipelines, VideoFilePipelineService video, ImageInput images, Duration timeout,
      Results results) {
    this.pipelines = pipelines;
    this.video = video;
    this.images = images;
    this.timeout = timeout;
    this.results = results;
  }

  List<McpTool> tools() {
    return List.of(
        new McpTool("list_pipelines", "List pipelines",
            "The pipelines this server runs: id, name, description, version and nodes (plugin/tool). "
                + "A pipeline_id of these is what analyze_image, sources and start_job take.",
            Schemas.object(List.of()), this::list),
        new McpTool("analyze_image", "Analyze an image",
            "Runs a pipeline on one image and returns its result (structured content) and the image with "
                + "the result's boxes drawn (image content). Give exactly one of image_base64 and path.",
            Schemas.object(List.of("pipeline_id"),
                "pipeline_id", Schemas.string("the pipeline to run (list_pipelines)"),
                "image_base64", Schemas.string("the image's bytes (JPEG, PNG, BMP or GIF) in base64, or a data: URL"),
                "path", Schemas.string("a file under the server's JOBS_INPUT_DIR, relative to it")),
            this::analyze));
  }

  McpSchema.CallToolResult list(Args args) {
    List<Map<String, Object>> list = pipelines.entries().stream().map(entry -> {
      PipelineDefinition p = entry.definition();
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("id", p.id());
      summary.put("name", p.name());
      summary.put("description", p.description());
      summary.put("version", entry.version());
      summary.put("source", entry.origin().toString());
      summary.put("nodes", p.nodes().stream().map(n -> n.id() + ": " + n.pluginId() + "/" + n.toolId()).toList());
      return summary;
    }).toList();
    return results.ok(Map.of("pipelines", list));
  }

  McpSchema.CallToolResult analyze(Args args) {
    String pipelineId = args.required("pipeline_id");
    if (pipelines.get(pipelineId).isEmpty()) {
      throw new ToolError("invalid_pipeline", "no pipeline '" + pipelineId + "'; known: "
          + String.join(", ", pipelines.all().stream().map(PipelineDefinition::id).sorted().toList()));
    }
    ImageInput.Image image = images.read(args);
    Map<String, Object> result = run(pipelineId, image.jpeg());
    var marks = Overlay.marks(result);
    byte[] drawn;
    try {
      drawn = Overlay.draw(image.jpeg(), marks);
    } catch (IOException e) {
      throw new ToolError("invalid_image", "the image cannot be decoded for drawing: " + e.getMessage());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("pipeline_id", pipelineId);
    body.put("width", image.width());
    body.put("height", image.height());
    body.put("boxes", marks.size());
    body.put("result", result);
    return results.ok(body, List.of(Results.jpeg(drawn)));
  }

  private Map<String, Object> run(String pipelineId, byte[] jpeg) {
    try {
      return video.runOnFrame(pipelineId, 0, jpeg).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = Failures.unwrap(e.getCause());
      throw new ToolError("pipeline_failed", "pipeline '" + pipelineId + "' failed on this image: "
          + (cause.getMessage() == null ? "no detail" : cause.getMessage()));
    } catch (TimeoutException e) {
      throw new ToolError("timeout", "pipeline '" + pipelineId + "' did not answer within " + timeout.toMillis()
          + " ms (STREAM_FRAME_TIMEOUT_MS)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolError("interrupted", "the server is stopping");
    }
  }
}
