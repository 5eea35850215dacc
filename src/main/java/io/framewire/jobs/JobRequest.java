package io.framewire.jobs;

/**
 * What a client asks for: run {@code pipelineId} over {@code input}.
 *
 * @param input a path relative to {@code JOBS_INPUT_DIR} (or an absolute path inside it), or a
 *     network URL ({@code rtsp://}, {@code http://}, {@code tcp://}, …)
 * @param stride keep frames 0, N, 2N, … (1: every frame)
 * @param maxFrames stop after this many processed frames; 0: all (a live URL needs it)
 */
public record JobRequest(String pipelineId, String input, int stride, long maxFrames) {

  /** Every frame, to the end. */
  public static JobRequest of(String pipelineId, String input) {
    return new JobRequest(pipelineId, input, 1, 0);
  }
}
