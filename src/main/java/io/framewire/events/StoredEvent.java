package io.framewire.events;

import java.util.Map;

/**
 * One event as the event store keeps it.
 *
 * @param id unique and increasing in the order the store accepted the events (a sink's position)
 * @param type {@code line_crossed}, {@code zone_entered}, {@code zone_exited}, {@code zone_dwell},
 *     {@code track_started}, {@code track_ended}, or a plugin's own type
 * @param stream {@code session:<id>}, {@code source:<id>} or {@code job:<id>}
 * @param pipelineId the pipeline that raised it
 * @param pipelineVersion its version
 * @param node the id of the node that raised it
 * @param timeMillis the frame's time (epoch ms)
 * @param receivedAtMillis when the store accepted it (epoch ms)
 * @param fields the event's own fields ({@code track_id}, {@code label}, {@code frame_index},
 *     {@code box}, {@code line}, {@code zone}, {@code direction}, …), JSON-safe
 * @param snapshot the snapshot's name under the store's snapshot directory, or null
 */
public record StoredEvent(
    long id,
    String type,
    String stream,
    String pipelineId,
    int pipelineVersion,
    String node,
    long timeMillis,
    long receivedAtMillis,
    Map<String, Object> fields,
    String snapshot) {}
