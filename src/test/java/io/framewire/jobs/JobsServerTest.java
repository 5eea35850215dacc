package io.framewire.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.cli.RunCommand;
import io.framewire.eventstore.TickPlugin;
import io.framewire.pipeline.PipelineJson;
import io.framewire.testing.TestServer;
import io.framewire.testing.TestVideos;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs on a real server with its event store: real H.264 files made by FFmpeg, results compared
 * with {@code framewire run}'s lines, the queue, cancelling, following results, refusals and a
 * restart on the same DATA_DIR. Held frames ({@code gated}) make the running states deterministic.
 */
class JobsServerTest {

  private static final int FRAMES = 12;

  @TempDir Path data;
  private Path input;
  private Path video;

  @BeforeEach
  void video() throws Exception {
    input = Files.createDirectories(data.resolve("input"));
    video = TestVideos.numberedGray(input, FRAMES);
  }

  private TestServer start(Map<String, Object> extra) {
    Map<String, Object> settings = new HashMap<>(Map.of(
        "framewire.events.enabled", true, "framewire.events.data-dir", data.toString(),
        "framewire.jobs.max-running", 1, "framewire.jobs.max-upload-mb", 1));
    settings.putAll(extra);
    return TestServer.start(settings, List.of(new TickPlugin()),
        List.of(PipelineJson.read(TickPlugin.pipeline("ticking", "thing"))));
  }

  @Test
  void pathAndUploadJobsWriteTheLinesOfTheRunCommandAndTheirEventsAreStored() throws Exception {
    List<String> expected = runCommandLines("inspect", video);
    assertEquals(FRAMES, expected.size());
    try (TestServer server = start(Map.of())) {
      JobsHttp http = new JobsHttp(server.port());
      String byPath = http.submit("inspect", video.getFileName().toString());
      HttpResponse<String> uploaded = http.upload(video, Map.of("pipeline_id", "inspect"));
      assertEquals(202, uploaded.statusCode(), uploaded.body());
      String byUpload = JobsHttp.json(uploaded).get("id").asText();
      for (String id : List.of(byPath, byUpload)) {
        JsonNode done = http.await(id, "done");
        assertEquals(FRAMES, done.get("frames_done").asLong(), done.toString());
        assertEquals(FRAMES, done.get("frames_total").asLong(), done.toString());
        assertTrue(done.get("error").isNull(), done.toString());
        assertTrue(done.get("finished_at").isTextual(), done.toString());
        assertEquals(expected, http.results(id));
      }
      assertEquals("numbered-12.mp4", http.status(byUpload).get("input").asText());
      // The page of lines the MCP tools read.
      JobService service = server.server.jobs().orElseThrow();
      JobService.ResultsPage page = service.results(byPath, 5, 4).toCompletableFuture().get().orElseThrow();
      assertEquals(expected.subList(5, 9), page.lines());
      assertEquals(9, page.nextOffset());
      assertFalse(page.complete());
      JobService.ResultsPage last = service.results(byPath, 10, 5).toCompletableFuture().get().orElseThrow();
      assertEquals(expected.subList(10, FRAMES), last.lines());
      assertTrue(last.complete());
      assertTrue(service.results("nope", 0, 1).toCompletableFuture().get().isEmpty());
      JsonNode list = JobsHttp.json(http.send(http.request("/jobs")));
      assertEquals(List.of(byUpload, byPath), ids(list));

      String ticking = http.submit("ticking", video.getFileName().toString());
      http.await(ticking, "done");
      List<JsonNode> events = new ArrayList<>();
      TestServer.await(FRAMES + " events of the job stored", () -> {
        events.clear();
        JobsHttp.json(http.send(http.request("/events?order=asc&stream=job:" + ticking))).get("events")
            .forEach(events::add);
        return events.size() == FRAMES;
      });
      for (int i = 0; i < FRAMES; i++) {
        assertEquals("job:" + ticking, events.get(i).get("stream").asText());
        assertEquals("tick", events.get(i).get("type").asText());
        assertEquals(i, events.get(i).get("frame_index").asInt());
      }
      String metrics = http.send(http.request("/metrics")).body();
      assertTrue(metrics.contains("jobs_finished_total{state=\"done\",} 3.0"), metrics);
      assertTrue(metrics.contains("job_frames_total " + (3.0 * FRAMES)), metrics);

      assertEquals(204, http.delete(byPath).statusCode());
      assertEquals(404, http.send(http.request("/jobs/" + byPath)).statusCode());
      assertTrue(Files.notExists(data.resolve("jobs").resolve(byPath)) || awaitGone(data.resolve("jobs").resolve(byPath)));
    }
  }

  @Test
  void oneRunsAtATimeResultsAreFollowedWhileRunningAndARunningJobIsCancelled() throws Exception {
    try (TestServer server = start(Map.of())) {
      JobsHttp http = new JobsHttp(server.port());
      String held = http.submit("gated", video.getFileName().toString());
      assertEquals(0L, server.gate.awaitEntered());
      String next = http.submit("inspect", video.getFileName().toString());
      JsonNode queued = http.status(next);
      assertEquals("queued", queued.get("state").asText());
      assertTrue(queued.get("started_at").isNull());
      assertEquals("running", http.status(held).get("state").asText());

      // The results of the running job, followed: each line arrives as its frame passes the gate.
      HttpResponse<InputStream> follow = http.sendStreaming("/jobs/" + held + "/results");
      assertEquals(200, follow.statusCode());
      BufferedReader lines = new BufferedReader(new InputStreamReader(follow.body(), StandardCharsets.UTF_8));
      for (int i = 0; i < 3; i++) {
        server.gate.release(1);
        String line = lines.readLine();
        assertEquals(i, JobsHttp.JSON.readTree(line).get("frame_index").asInt(), line);
        assertEquals(i + 1L, server.gate.awaitEntered());
      }
      assertEquals("queued", http.status(next).get("state").asText());

      HttpResponse<String> cancelled = http.delete(held);
      assertEquals(200, cancelled.statusCode(), cancelled.body());
      assertEquals("cancelled", JobsHttp.json(cancelled).get("state").asText());
      assertEquals(null, lines.readLine(), "the followed results end with the job");
      JsonNode after = http.await(held, "cancelled");
      assertEquals(3, after.get("frames_done").asLong());
      assertEquals(3, http.results(held).size());

      JsonNode done = http.await(next, "done");
      assertEquals(FRAMES, done.get("frames_done").asLong());
      server.gate.release(100);
    }
  }

  @Test
  void inputsOutsideTheDirectoryBadRequestsAndLargeUploadsAreRefused() throws Exception {
    Path outside = Files.createDirectories(data.resolve("elsewhere")).resolve("secret.mp4");
    Files.copy(video, outside);
    Files.createSymbolicLink(input.resolve("link.mp4"), outside);
    try (TestServer server = start(Map.of())) {
      JobsHttp http = new JobsHttp(server.port());
      refused(http.postJson("{\"pipeline_id\":\"inspect\",\"input\":\"../elsewhere/secret.mp4\"}"), 400, "invalid_input");
      refused(http.postJson("{\"pipeline_id\":\"inspect\",\"input\":\"" + outside + "\"}"), 400, "invalid_input");
      refused(http.postJson("{\"pipeline_id\":\"inspect\",\"input\":\"link.mp4\"}"), 400, "invalid_input");
      refused(http.postJson("{\"pipeline_id\":\"inspect\",\"input\":\"missing.mp4\"}"), 400, "invalid_input");
      refused(http.postJson("{\"pipeline_id\":\"inspect\",\"input\":\"tcp://127.0.0.1:9\"}"), 400, "invalid_input");
      refused(http.postJson("{\"pipeline_id\":\"nope\",\"input\":\"numbered-12.mp4\"}"), 400, "invalid_pipeline");
      refused(http.postJson("{\"pipeline_id\":\"inspect\",\"input\":\"numbered-12.mp4\",\"stride\":\"x\"}"), 400,
          "invalid_request");
      refused(http.postJson("not json"), 400, "invalid_request");
      refused(http.send(http.request("/jobs/nope")), 404, "not_found");
      refused(http.delete("nope"), 404, "not_found");
      refused(http.upload(video, Map.of("pipeline_id", "nope")), 400, "invalid_pipeline");
      // Over the limit (1 MB) by less than the form's slack: read to its end, dropped, 413.
      refused(http.upload(new byte[1024 * 1024 + 300 * 1024], "big.mp4", Map.of("pipeline_id", "inspect")), 413,
          "too_large");
      // Far over: refused from its Content-Length.
      refused(http.upload(new byte[3 * 1024 * 1024], "huge.mp4", Map.of("pipeline_id", "inspect")), 413, "too_large");
      assertEquals(0, JobsHttp.json(http.send(http.request("/jobs"))).get("jobs").size());
      try (var left = Files.list(data.resolve("jobs"))) {
        assertEquals(List.of(), left.toList(), "nothing left of the refused uploads");
      }
      TestVideos.corrupt(input);
      String error = http.await(http.submit("inspect", "corrupt.mp4"), "failed").get("error").asText();
      assertTrue(error.contains("corrupt.mp4") && !error.contains("Exception"), error);
      JsonNode failing = http.await(http.submit("failing", video.getFileName().toString()), "failed");
      assertTrue(failing.get("error").asText().contains("camera lens cap is on"), failing.toString());
      assertEquals(0, failing.get("frames_done").asLong());
    }
  }

  @Test
  void creatingAndDeletingFollowTheAdminRuleReadingTheStreamRule() {
    try (TestServer server = start(Map.of("framewire.admin.token", "admin-secret",
        "framewire.stream.auth-token", "watch-secret"))) {
      JobsHttp http = new JobsHttp(server.port());
      String body = "{\"pipeline_id\":\"inspect\",\"input\":\"numbered-12.mp4\"}";
      refused(http.postJson(body), 401, "unauthorized");
      HttpResponse<String> created = http.send(http.request("/jobs").header("Content-Type", "application/json")
          .header("Authorization", "Bearer admin-secret").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
      assertEquals(202, created.statusCode(), created.body());
      String id = JobsHttp.json(created).get("id").asText();
      assertEquals(401, http.send(http.request("/jobs/" + id)).statusCode());
      assertEquals(401, http.send(http.request("/jobs/" + id + "/results")).statusCode());
      TestServer.await("the job done", () -> JobsHttp.json(http.send(http.request("/jobs/" + id + "?token=watch-secret")))
          .get("state").asText().equals("done"));
      assertEquals(FRAMES, http.send(http.request("/jobs/" + id + "/results?token=watch-secret")).body().lines().count());
      refused(http.delete(id), 401, "unauthorized");
    }
  }

  @Test
  void withoutTheEventStoreJobsAreUnavailable() {
    try (TestServer server = TestServer.start()) {
      refused(new JobsHttp(server.port()).send(new JobsHttp(server.port()).request("/jobs")), 503, "jobs_unavailable");
    }
  }

  @Test
  void aRestartKeepsFinishedJobsRunsQueuedOnesAndRunsAnInterruptedOneAgain() throws Exception {
    String finished;
    String interrupted;
    String waiting;
    List<String> finishedLines;
    TestServer first = start(Map.of());
    try {
      JobsHttp http = new JobsHttp(first.port());
      finished = http.submit("inspect", video.getFileName().toString());
      http.await(finished, "done");
      finishedLines = http.results(finished);
      interrupted = http.submit("gated", video.getFileName().toString());
      first.gate.release(3);
      TestServer.await("3 frames of the held job", () -> http.status(interrupted).get("frames_done").asLong() == 3);
      waiting = http.submit("inspect", video.getFileName().toString());
      assertEquals("queued", http.status(waiting).get("state").asText());
    } finally {
      first.server.close(); // the held frame stays in the gate: the job is running when the server stops
      first.gate.release(1000);
    }
    try (TestServer second = start(Map.of())) {
      second.gate.release(1000);
      JobsHttp http = new JobsHttp(second.port());
      assertEquals("done", http.status(finished).get("state").asText());
      assertEquals(finishedLines, http.results(finished));
      for (String id : List.of(interrupted, waiting)) {
        JsonNode done = http.await(id, "done");
        assertEquals(FRAMES, done.get("frames_done").asLong(), done.toString());
        assertEquals(FRAMES, http.results(id).size(), "written anew from the beginning");
      }
      assertEquals(List.of(waiting, interrupted, finished), ids(JobsHttp.json(http.send(http.request("/jobs")))));
    }
  }

  private static boolean awaitGone(Path dir) {
    TestServer.await("the deleted job's files gone", () -> Files.notExists(dir));
    return true;
  }

  private static List<String> ids(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.get("jobs").forEach(job -> ids.add(job.get("id").asText()));
    return ids;
  }

  private static void refused(HttpResponse<String> response, int status, String error) {
    assertEquals(status, response.statusCode(), response.body());
    JsonNode body = JobsHttp.json(response);
    assertEquals(error, body.get("error").asText(), response.body());
    assertTrue(body.get("detail").isTextual(), response.body());
  }

  /** What {@code framewire run PIPELINE FILE} prints, run in this JVM. */
  private static List<String> runCommandLines(String pipelineId, Path file) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = RunCommand.run(new String[] {pipelineId, file.toString()}, new PrintStream(out, true),
        new PrintStream(err, true), false);
    assertEquals(RunCommand.OK, status, err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }
}
