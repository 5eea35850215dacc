package io.framewire.sources;

/**
 * Marker of the live-source messages that cross cluster nodes (the sharded cameras' commands and
 * replies, and the replicated {@link SourceSpec}s). application.conf binds it to Pekko's {@code
 * jackson-cbor} serializer, as {@code io.framewire.cluster.ClusterMessage} for the workers'.
 */
public interface SourceMessage {}
