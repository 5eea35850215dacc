package io.framewire.sources;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a live source is: its id, the camera's URL (with credentials, if any) and its pipeline. In a
 * cluster these are replicated to every node (Distributed Data), so a camera restarts anywhere.
 */
public record SourceSpec(
    @JsonProperty("id") String id,
    @JsonProperty("url") String url,
    @JsonProperty("pipeline_id") String pipelineId) implements SourceMessage {}
