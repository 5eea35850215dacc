package io.framewire.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Collections;
import java.util.List;

/**
 * A pipeline as data: a DAG of tool nodes, in the ForgeSyte JSON format
 * ({@code id, name, description?, nodes, edges, entry_nodes, output_nodes}).
 *
 * <p>A definition may be invalid; {@link PipelineValidator} is the one place that checks it. Absent
 * lists become empty lists so that the validator reports them as a rule ("missing 'nodes'") instead
 * of a NullPointerException. Use {@link PipelineJson} to read and write it.
 */
@JsonPropertyOrder({"id", "name", "description", "nodes", "edges", "entry_nodes", "output_nodes"})
public record PipelineDefinition(
    @JsonProperty("id") String id,
    @JsonProperty("name") String name,
    @JsonProperty("description") @JsonInclude(JsonInclude.Include.NON_NULL) String description,
    @JsonProperty("nodes") List<NodeDefinition> nodes,
    @JsonProperty("edges") List<EdgeDefinition> edges,
    @JsonProperty("entry_nodes") List<String> entryNodes,
    @JsonProperty("output_nodes") List<String> outputNodes) {

  public PipelineDefinition {
    nodes = readOnlyCopy(nodes);
    edges = readOnlyCopy(edges);
    entryNodes = readOnlyCopy(entryNodes);
    outputNodes = readOnlyCopy(outputNodes);
  }

  // List.copyOf rejects null elements; the validator should be the one to report them.
  private static <T> List<T> readOnlyCopy(List<T> list) {
    return list == null ? List.of() : Collections.unmodifiableList(new java.util.ArrayList<>(list));
  }
}
