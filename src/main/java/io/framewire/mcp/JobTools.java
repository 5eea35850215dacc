package io.framewire.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.jobs.JobException;
import io.framewire.jobs.JobRequest;
import io.framewire.jobs.JobService;
import io.framewire.jobs.JobStatus;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code start_job}, {@code job_status} and {@code job_results}: the jobs API ({@code /jobs},
 * docs/jobs.md) as tools, over the same {@link JobService}. Starting a job follows the admin rule, as
 * {@code POST /jobs} does; results come as a bounded page of lines, each parsed into its JSON object.
 */
final class JobTools {

  static final int MAX_LINES = 100;
  static final int DEFAULT_LINES = 20;
  /** The most jobs {@code job_status} without an id lists (newest first). */
  static final int MAX_LISTED = 50;
  private static final Duration ASK = Duration.ofSeconds(10);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final Optional<JobService> jobs;
  private final ObjectMapper json = new ObjectMapper();
  private final Results results;

  JobTools(Optional<JobService> jobs, Results results) {
    this.jobs = jobs;
    this.results = results;
  }

  List<McpTool> tools() {
    return List.of(
        new McpTool("start_job", "Start a video analysis job",
            "Runs a pipeline over a video file under the server's JOBS_INPUT_DIR, or a stream URL (rtsp://, "
                + "http://, tcp://; give max_frames for a live one), in the background; returns the job's status "
                + "with its id. Poll job_status, read job_results. Needs the admin rule (ADMIN_TOKEN).",
            Schemas.object(List.of("pipeline_id", "input"),
                "pipeline_id", Schemas.string("the pipeline to run (list_pipelines)"),
                "input", Schemas.string("a file relative to JOBS_INPUT_DIR, or a stream URL"),
                "stride", Schemas.integer("analyse frames 0, N, 2N, ... (default 1: every frame)", 1, 1_000_000),
                "max_frames", Schemas.integer("stop after this many analysed frames (default 0: all)", 0, 1_000_000_000)),
            this::start),
        new McpTool("job_status", "Job status",
            "A job's state (queued, running, done, failed, cancelled), frames done and total, fps, eta_s and "
                + "error; without job_id, the " + MAX_LISTED + " newest jobs.",
            Schemas.object(List.of(), "job_id", Schemas.string("the job's id (start_job); absent: list the jobs")),
            this::status),
        new McpTool("job_results", "Job results",
            "A page of a job's results, one per analysed frame ({frame_index, result}), also while it runs; "
                + "'next_offset' is the offset of the next page, 'complete' says the job has ended and no line "
                + "is left.",
            Schemas.object(List.of("job_id"),
                "job_id", Schemas.string("the job's id"),
                "offset", Schemas.integer("the first line, 0-based (default 0)", 0, Integer.MAX_VALUE),
                "limit", Schemas.integer("the most lines (default " + DEFAULT_LINES + ")", 1, MAX_LINES)),
            this::results));
  }

  McpSchema.CallToolResult start(Args args) {
    JobService service = jobs();
    args.caller().requireAdmin();
    JobRequest request = new JobRequest(args.required("pipeline_id"), args.required("input"),
        args.integer("stride", 1, 1_000_000, 1), args.integer("max_frames", 0, 1_000_000_000, 0));
    return results.ok(await(service.submit(request)).toJson());
  }

  McpSchema.CallToolResult status(Args args) {
    JobService service = jobs();
    Optional<String> id = args.optional("job_id");
    if (id.isEmpty()) {
      List<Map<String, Object>> list = await(service.list()).stream().limit(MAX_LISTED).map(JobStatus::toJson).toList();
      return results.ok(Map.of("jobs", list));
    }
    return results.ok(await(service.status(id.get())).orElseThrow(() -> unknown(id.get())).toJson());
  }

  McpSchema.CallToolResult results(Args args) {
    JobService service = jobs();
    String id = args.required("job_id");
    long offset = args.integer("offset", 0, Integer.MAX_VALUE, 0);
    int limit = args.integer("limit", 1, MAX_LINES, DEFAULT_LINES);
    JobService.ResultsPage page = await(service.results(id, offset, limit)).orElseThrow(() -> unknown(id));
    List<Object> lines = new ArrayList<>(page.lines().size());
    for (String line : page.lines()) {
      try {
        lines.add(json.readValue(line, MAP));
      } catch (IOException e) {
        lines.add(line); // a line cut by a crash: as written
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("job_id", id);
    body.put("offset", page.offset());
    body.put("lines", lines);
    body.put("next_offset", page.nextOffset());
    body.put("complete", page.complete());
    return results.ok(body);
  }

  private JobService jobs() {
    return jobs.orElseThrow(() -> new ToolError("jobs_disabled",
        "this server runs no jobs (they are kept in the event store: framewire.events.enabled = false, EVENTS_ENABLED)"));
  }

  private static ToolError unknown(String id) {
    return new ToolError("unknown_job", "no job with id '" + id + "'");
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(ASK.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof JobException refused) {
        throw new ToolError(refused.error(), refused.detail());
      }
      throw new ToolError("jobs_unavailable", "the jobs did not answer");
    } catch (TimeoutException e) {
      throw new ToolError("jobs_unavailable", "the jobs did not answer in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolError("interrupted", "the server is stopping");
    }
  }
}
