package io.framewire.sinks;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one sink stands, as {@code GET /sinks/{id}} shows it.
 *
 * @param state {@code starting} (reading its position), {@code delivering}, {@code idle} (caught
 *     up, polling), {@code retrying} (its target or the store failed; waiting out the backoff),
 *     {@code stopped}
 * @param position the id of the last event the target acknowledged (or the filter left out)
 * @param latestId the newest stored event's id when the sink last looked
 * @param delivered events acknowledged since this server started
 * @param failures failed attempts in a row (0 once one succeeds)
 * @param lastError the last failure's message, or null
 * @param lastErrorAtMillis when it happened (epoch ms), or 0
 */
public record SinkStatus(
    String state, long position, long latestId, long delivered, int failures, String lastError, long lastErrorAtMillis) {

  static SinkStatus starting() {
    return new SinkStatus("starting", 0, 0, 0, 0, null, 0);
  }

  /** Stored events not yet delivered: {@code latestId - position}, never below 0. */
  public long lag() {
    return Math.max(0, latestId - position);
  }

  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("state", state);
    json.put("position", position);
    json.put("latest_id", latestId);
    json.put("lag", lag());
    json.put("delivered", delivered);
    json.put("failures", failures);
    json.put("last_error", lastError);
    json.put("last_error_at", lastErrorAtMillis == 0 ? null : io.framewire.api.FrameTime.iso(lastErrorAtMillis));
    return json;
  }
}
