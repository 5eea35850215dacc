package io.framewire.streaming;

import java.util.Map;

/** Everything the server sends to a streaming client; {@link AnswerEncoder} turns each into one JSON text message. */
public sealed interface Answer permits Answer.Result, Answer.Dropped, Answer.SlowDown, StreamError {

  /**
   * {@code {"frame_index":N,"result":{…}}}: the pipeline's output for one frame; with {@code
   * "timings_ms":{node: ms, …, "total": ms}} when the session asked for timings.
   */
  record Result(long frameIndex, Map<String, Object> result, Map<String, Double> timingsMs) implements Answer {
    public Result(long frameIndex, Map<String, Object> result) {
      this(frameIndex, result, null);
    }
  }

  /** {@code {"frame_index":N,"dropped":true}}: a newer frame superseded this one while the pipeline was busy. */
  record Dropped(long frameIndex) implements Answer {}

  /** {@code {"warning":"slow_down","max_fps":F,"drop_rate":R}}: sent once per overload episode. */
  record SlowDown(double maxFps, double dropRate) implements Answer {}
}
