package io.framewire.streaming;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Runs a session's pipeline on one frame: {@link RunPipelineFlow} calls it once per run, one run at
 * a time per session. In production this is the session's {@link SessionPipeline}.
 *
 * <p>Failures are answered as {@link RunPipelineFlow#toStreamError} maps them: a tool's failure as
 * the engine reports it ({@code pipeline_failure} naming the node), a {@link StreamFailure} with its
 * error as it is, a run over the frame timeout {@code pipeline_failure}; any other failure is a bug,
 * answered {@code internal_error} without details (they go to the log).
 */
@FunctionalInterface
public interface FrameRunner {

  /** The pipeline's output for this frame: a mutable, JSON-safe map the answer is encoded from. */
  CompletionStage<Map<String, Object>> run(long frameIndex, byte[] frameBytes);

  /**
   * As {@link #run(long, byte[])}, for a frame received at {@code receivedMillis} (epoch ms), the time
   * the tools see ({@link io.framewire.api.FrameTime}). By default the time is not passed on.
   */
  default CompletionStage<Map<String, Object>> run(long frameIndex, byte[] frameBytes, long receivedMillis) {
    return run(frameIndex, frameBytes);
  }

  /**
   * The per-node timings (milliseconds by node id, then {@code total}) a result of this runner
   * carries, taken out of it; null if it carries none (the default: runners that do not time nodes).
   */
  default Map<String, Double> takeTimings(Map<String, Object> result) {
    return null;
  }
}
