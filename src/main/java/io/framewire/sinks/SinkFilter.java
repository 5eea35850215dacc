package io.framewire.sinks;

import io.framewire.events.StoredEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which events a sink sends: each list empty means any; else the event's value must be one of the
 * list's. A stream entry ending in {@code *} matches by prefix ({@code "source:*"}: every camera).
 * Events a filter leaves out still advance the sink's position.
 *
 * @param types event types ({@code line_crossed}, …)
 * @param labels the event's {@code label} field ({@code person}, …); events without one never match a non-empty list
 * @param streams {@code session:<id>}, {@code source:<id>}, {@code job:<id>}, or a prefix ending in {@code *}
 */
public record SinkFilter(List<String> types, List<String> labels, List<String> streams) {

  public static final SinkFilter ALL = new SinkFilter(List.of(), List.of(), List.of());

  public SinkFilter {
    types = List.copyOf(types);
    labels = List.copyOf(labels);
    streams = List.copyOf(streams);
  }

  public boolean matches(StoredEvent event) {
    if (!types.isEmpty() && !types.contains(event.type())) {
      return false;
    }
    if (!labels.isEmpty()) {
      Object label = event.fields() == null ? null : event.fields().get("label");
      if (label == null || !labels.contains(label.toString())) {
        return false;
      }
    }
    return streams.isEmpty() || streams.stream().anyMatch(s -> s.endsWith("*")
        ? event.stream().startsWith(s.substring(0, s.length() - 1))
        : event.stream().equals(s));
  }

  /** The JSON form ({@code {"type": [...], "label": [...], "stream": [...]}}), empty lists left out. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    if (!types.isEmpty()) {
      json.put("type", types);
    }
    if (!labels.isEmpty()) {
      json.put("label", labels);
    }
    if (!streams.isEmpty()) {
      json.put("stream", streams);
    }
    return json;
  }
}
