package io.framewire.api;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One configured vision tool, bound to one pipeline node.
 *
 * <p>{@link #apply} is called on a dedicated blocking dispatcher, never on Pekko's default one, so
 * it may block (decode, sleep, scan). A stateless tool instance may be called concurrently by many
 * sessions; a stateful one (see {@link ToolPlugin#isStateful}) belongs to one session and is called
 * by at most one frame at a time.
 */
public interface Tool extends AutoCloseable {

  /**
   * Runs the tool on one frame.
   *
   * @param input the frame payload ({@code frame_index}, {@code image_bytes} for frames received as
   *     JPEG, and the shared decoded frame under {@code _frame}: read it with {@link
   *     io.framewire.api.image.DecodedFrame#of}, the frame's time under {@link FrameTime#KEY}) merged
   *     with the outputs of the node's predecessors. Must not be modified.
   * @return this node's outputs. Keys starting with {@code _} are internal: downstream nodes see
   *     them, the pipeline result never contains them. Other values must be JSON-safe (strings,
   *     numbers, booleans, null, lists and maps of those). A list under {@code events} is what
   *     happened on this frame: the result's {@code events} collects every node's, in execution
   *     order, whether or not the node is an output node.
   * @throws Exception any failure; the pipeline fails with this node's id and the message.
   */
  Map<String, Object> apply(Map<String, Object> input) throws Exception;

  /**
   * How the pipeline engine calls a tool: this default runs {@link #apply} right here and returns
   * its completed result. {@link AsyncTool}s override it to complete later without holding a
   * thread.
   */
  default CompletionStage<Map<String, Object>> applyAsync(Map<String, Object> input) {
    try {
      return CompletableFuture.completedFuture(apply(input));
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Called on a stateful tool of a live camera's new pipeline version, before its first frame, with
   * the tool the same node id ran in the version it replaces (same plugin and tool), so that the
   * stream's history (tracks, counts) survives a live edit of the pipeline. {@code previous} is
   * closed right after this returns: copy what is kept, do not hold on to it. The default keeps
   * nothing: the tool starts afresh, as in a new session.
   */
  default void continueFrom(Tool previous) {}

  /** Releases per-session state. Called once, when the owning session (or pipeline run) ends. */
  @Override
  default void close() {}
}
