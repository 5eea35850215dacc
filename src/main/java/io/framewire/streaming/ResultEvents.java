package io.framewire.streaming;

import io.framewire.events.EventPublisher;
import io.framewire.events.FrameEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Hands a run's {@code events} to the {@link EventPublisher}: the one place where sessions and live
 * sources turn a result into {@link FrameEvents}. A result without events costs one map lookup.
 */
public final class ResultEvents {

  /** The result key the engine collects every node's events under. */
  public static final String KEY = "events";

  private ResultEvents() {}

  /**
   * Publishes {@code result}'s events, if it has any; returns at once (the publisher queues).
   *
   * @param stream {@code session:<id>}, {@code source:<id>} or {@code job:<id>}
   * @param frameJpeg the frame as JPEG on demand (snapshots), or null
   */
  public static void publish(EventPublisher publisher, String stream, String pipelineId, int pipelineVersion,
      long frameIndex, long frameTimeMillis, Map<String, Object> result, Supplier<byte[]> frameJpeg) {
    if (result == null || !(result.get(KEY) instanceof List<?> list) || list.isEmpty()) {
      return;
    }
    List<Map<String, Object>> events = new ArrayList<>(list.size());
    for (Object event : list) {
      if (event instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked") // the engine's JSON-safe results have string keys
        Map<String, Object> typed = (Map<String, Object>) map;
        events.add(typed);
      }
    }
    if (!events.isEmpty()) {
      publisher.publish(new FrameEvents(stream, pipelineId, pipelineVersion, frameIndex, frameTimeMillis, events,
          frameJpeg));
    }
  }
}
