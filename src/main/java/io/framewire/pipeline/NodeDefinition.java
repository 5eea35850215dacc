package io.framewire.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One pipeline node: the tool {@code plugin_id}/{@code tool_id} configured with {@code params}.
 *
 * @param params the JSON object handed to {@link io.framewire.pipeline.ToolRegistry#create}; null when
 *     absent (a JSON {@code null} counts as absent)
 * @param placement optional {@code "local"} or {@code "worker"} (docs/scaling.md); null when absent:
 *     the tool plugin's default placement applies
 */
@JsonPropertyOrder({"id", "plugin_id", "tool_id", "params", "placement"})
public record NodeDefinition(
    @JsonProperty("id") String id,
    @JsonProperty("plugin_id") String pluginId,
    @JsonProperty("tool_id") String toolId,
    @JsonProperty("params") @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode params,
    @JsonProperty("placement") @JsonInclude(JsonInclude.Include.NON_NULL) String placement) {

  public NodeDefinition {
    // Jackson hands a JSON null to a JsonNode property as NullNode; normalise so "absent" has one form.
    if (params != null && (params.isNull() || params.isMissingNode())) {
      params = null;
    }
  }

  public NodeDefinition(String id, String pluginId, String toolId, JsonNode params) {
    this(id, pluginId, toolId, params, null);
  }

  public NodeDefinition(String id, String pluginId, String toolId) {
    this(id, pluginId, toolId, null, null);
  }
}
