package io.framewire.api;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * A tool whose work completes later without holding a thread while it waits (a batched model call,
 * a remote node). The pipeline engine calls {@link #applyAsync} inline, on the thread that completed
 * the node's last predecessor, whatever {@link ToolPlugin#isBlocking} says: the method must return
 * quickly, and the returned stage completes when the work is done.
 */
public interface AsyncTool extends Tool {

  /**
   * Starts the tool on one frame. Same input and output contract as {@link Tool#apply}.
   *
   * @return completes with this node's outputs, or exceptionally with the failure
   */
  @Override
  CompletionStage<Map<String, Object>> applyAsync(Map<String, Object> input);

  /** The blocking bridge, for callers outside the engine: waits for {@link #applyAsync}. */
  @Override
  default Map<String, Object> apply(Map<String, Object> input) throws Exception {
    try {
      return applyAsync(input).toCompletableFuture().get();
    } catch (ExecutionException | CompletionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
