package io.framewire.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The tool SPI: a plugin is a named family of tools, discovered with {@link java.util.ServiceLoader}.
 *
 * <p>To add tools, put a jar on the classpath that implements this interface and lists the class in
 * {@code META-INF/services/io.framewire.api.ToolPlugin}. A pipeline node names a tool by
 * {@code plugin_id} ({@link #id()}) and {@code tool_id} (one of {@link #toolIds()}).
 *
 * <p>Declare each tool's params with {@link #params}: the pipeline validator then refuses unknown
 * keys (suggesting the closest known one), wrong types and out-of-range values, reporting them all at
 * once, and {@code GET /tools} lists the schema. Read the values in {@link #create} through the same
 * schema with {@link ParamValues#read}, so the defaults shown are the ones used.
 */
public interface ToolPlugin {

  /** The {@code plugin_id} used in pipeline definitions. */
  String id();

  /** The {@code tool_id}s this plugin provides. */
  Set<String> toolIds();

  /**
   * Creates a tool configured with the node's {@code params}. Called when a pipeline is validated
   * (to check the params, then closed), and when a session opens for stateful tools.
   *
   * @param toolId one of {@link #toolIds()}
   * @param params the node's params object, never null (an empty object when absent)
   * @throws IllegalArgumentException if the params are invalid; the message names the problem
   */
  Tool create(String toolId, JsonNode params);

  /** One line about the plugin for {@code GET /tools}. */
  default String description() {
    return "";
  }

  /** One line about a tool for {@code GET /tools}: what it outputs, what it costs. */
  default String description(String toolId) {
    return "";
  }

  /**
   * The params a tool accepts, or empty if this plugin declares no schema for it (then the params
   * are only checked by {@link #create}, and unknown keys are not refused: the behaviour of plugins
   * written before schemas existed). An empty list means "takes no params": any key is refused.
   *
   * @param toolId one of {@link #toolIds()}
   */
  default Optional<List<ParamSpec>> params(String toolId) {
    return Optional.empty();
  }

  /**
   * Whether the tool keeps state across frames. Stateful tools get one instance per session, created
   * when the session opens and closed when it ends; stateless ones are shared by all sessions.
   */
  default boolean isStateful(String toolId) {
    return false;
  }

  /**
   * Whether the tool may block or take more than a few microseconds (decode, sleep, scan, I/O).
   * Blocking tools run on the dedicated tool dispatcher; a non-blocking one runs inline on the
   * thread that completed its last predecessor (for a one-node pipeline: the stream's own thread),
   * which saves a thread hand-off per frame. When in doubt, leave the default.
   */
  default boolean isBlocking(String toolId) {
    return true;
  }

  /**
   * Whether the tool reads the frame's colour ({@code DecodedFrame.rgb()}). When any node of a
   * pipeline does, JPEG frames are decoded once in colour and the gray view is derived from that,
   * instead of a gray decode followed by a colour one.
   */
  default boolean usesColour(String toolId) {
    return false;
  }

  /**
   * Where a node of this tool runs when the pipeline does not say ({@code "placement"}): heavy,
   * stateless tools such as model inference may return {@link Placement#WORKER} so that a front in a
   * cluster sends them to a worker. Ignored for stateful tools, which always run with their session.
   */
  default Placement defaultPlacement(String toolId) {
    return Placement.LOCAL;
  }
}
