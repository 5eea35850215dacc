package io.framewire.eventstore;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code evt/tick}: exactly one {@code tick} event per frame, naming the frame ({@code frame_index})
 * and labelled with the node's {@code label} param ({@code thing} if unset). Public with a no-argument
 * constructor and importing only the API, so {@link EventCrashIT} can put it in a plugin jar next to
 * the server jar.
 */
public final class TickPlugin implements ToolPlugin {

  @Override
  public String id() {
    return "evt";
  }

  @Override
  public Set<String> toolIds() {
    return Set.of("tick");
  }

  @Override
  public boolean isBlocking(String toolId) {
    return false; // a map lookup: no thread hand-off needed
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    String label = params != null && params.hasNonNull("label") ? params.get("label").asText() : "thing";
    return input -> Map.of("events", List.of(Map.of(
        "type", "tick", "label", label, "frame_index", input.get("frame_index"))));
  }

  /** A pipeline {@code id} of one {@code evt/tick} node {@code ticker} labelling its events {@code label}. */
  public static String pipeline(String id, String label) {
    return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"nodes\":[{\"id\":\"ticker\",\"plugin_id\":\"evt\","
        + "\"tool_id\":\"tick\",\"params\":{\"label\":\"" + label + "\"}}],\"edges\":[],"
        + "\"entry_nodes\":[\"ticker\"],\"output_nodes\":[\"ticker\"]}";
  }
}
