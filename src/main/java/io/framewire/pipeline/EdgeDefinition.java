package io.framewire.pipeline;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A pipeline edge: {@code to_node} runs after {@code from_node} and sees its outputs. */
@JsonPropertyOrder({"from_node", "to_node"})
public record EdgeDefinition(
    @JsonProperty("from_node") String fromNode, @JsonProperty("to_node") String toNode) {}
