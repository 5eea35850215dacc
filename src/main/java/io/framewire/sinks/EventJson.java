package io.framewire.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.api.FrameTime;
import io.framewire.events.StoredEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a sink sends for one event: one flat JSON object, the store's columns first ({@code id},
 * {@code type}, {@code stream}, {@code pipeline_id}, {@code pipeline_version}, {@code node},
 * {@code time}, {@code received_at} as ISO-8601 UTC, {@code snapshot} when there is one), then the
 * event's own fields ({@code track_id}, {@code label}, {@code box}, …). {@code id} is unique and
 * increasing: consumers deduplicate on it (delivery is at least once).
 */
public final class EventJson {

  private EventJson() {}

  public static Map<String, Object> toMap(StoredEvent event) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", event.id());
    json.put("type", event.type());
    json.put("stream", event.stream());
    json.put("pipeline_id", event.pipelineId());
    json.put("pipeline_version", event.pipelineVersion());
    json.put("node", event.node());
    json.put("time", FrameTime.iso(event.timeMillis()));
    json.put("received_at", FrameTime.iso(event.receivedAtMillis()));
    if (event.snapshot() != null) {
      json.put("snapshot", event.snapshot());
    }
    if (event.fields() != null) {
      event.fields().forEach(json::putIfAbsent); // the columns above win over a field of the same name
    }
    return json;
  }

  public static byte[] toBytes(StoredEvent event, ObjectMapper mapper) {
    try {
      return mapper.writeValueAsBytes(toMap(event));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("event " + event.id() + " is not JSON-safe", e);
    }
  }
}
