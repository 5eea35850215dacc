package io.framewire.cluster;

/**
 * Marker of every message that crosses cluster nodes. application.conf binds it to Pekko's
 * {@code jackson-cbor} serializer: such messages are records of strings, numbers, byte arrays,
 * JSON-safe maps and actor refs. Java serialization stays off (Pekko's default), so a message that
 * is not marked fails loudly instead of slipping through.
 */
public interface ClusterMessage {}
