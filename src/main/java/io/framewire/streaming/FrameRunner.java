package io.framewire.streaming;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Runs a session's pipeline on one frame (in production: {@code VideoFilePipelineService.runOnFrame}). */
@FunctionalInterface
public interface FrameRunner {
  CompletionStage<Map<String, Object>> run(long frameIndex, byte[] frameBytes);
}
