package io.framewire.jobs;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job as the API shows it ({@code GET /jobs/{id}}).
 *
 * @param input the file (relative to {@code JOBS_INPUT_DIR}), the uploaded file's name, or the URL
 *     with its password masked
 * @param framesDone results written so far
 * @param framesTotal frames the job will process (the video's length over the stride, capped by
 *     {@code max_frames}), null while unknown
 * @param fps frames processed per second since it started (0 before)
 * @param etaS seconds left at that rate, null when unknown or not running
 * @param error why it failed, null otherwise
 * @param startedAt null until it runs; {@code finishedAt} null until it ends
 */
public record JobStatus(String id, String pipelineId, String input, JobState state, long framesDone, Long framesTotal,
    double fps, Double etaS, String error, Instant createdAt, Instant startedAt, Instant finishedAt) {

  /** The JSON object: snake_case keys, times as ISO-8601 UTC, nulls kept. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("pipeline_id", pipelineId);
    json.put("input", input);
    json.put("state", state.json());
    json.put("frames_done", framesDone);
    json.put("frames_total", framesTotal);
    json.put("fps", Math.round(fps * 10) / 10.0);
    json.put("eta_s", etaS == null ? null : (Object) (Math.round(etaS * 10) / 10.0));
    json.put("error", error);
    json.put("created_at", text(createdAt));
    json.put("started_at", text(startedAt));
    json.put("finished_at", text(finishedAt));
    return json;
  }

  private static String text(Instant time) {
    return time == null ? null : time.toString();
  }
}
