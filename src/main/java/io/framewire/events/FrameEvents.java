package io.framewire.events;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The events one pipeline run raised on one frame, as a producer (a WebSocket session, a live
 * camera, a job) hands them to the {@link EventPublisher}.
 *
 * @param stream who saw them: {@code session:<id>}, {@code source:<id>} or {@code job:<id>}
 * @param pipelineId the pipeline that ran
 * @param pipelineVersion its version
 * @param frameIndex the frame's index in its stream
 * @param frameTimeMillis the frame's time (epoch ms, {@code io.framewire.api.FrameTime})
 * @param events the result's {@code events}: maps with {@code type}, {@code node}, {@code time},
 *     {@code track_id}, {@code label}, {@code box}, {@code line}/{@code zone}, {@code direction}, …
 * @param frameJpeg the frame as JPEG, computed on demand (for snapshots); null when not available
 */
public record FrameEvents(
    String stream,
    String pipelineId,
    int pipelineVersion,
    long frameIndex,
    long frameTimeMillis,
    List<Map<String, Object>> events,
    Supplier<byte[]> frameJpeg) {

  public FrameEvents {
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(pipelineId, "pipelineId");
    events = List.copyOf(events);
  }
}
