package io.framewire.engine;

import java.util.Map;

/**
 * A pipeline's result for one frame of a video: {@code {"frame_index": i, "result": {…}}}.
 *
 * @param frameIndex the source frame number, 0-based
 * @param result the JSON-safe merged outputs of the pipeline's output nodes
 */
public record FrameResult(long frameIndex, Map<String, Object> result) {}
