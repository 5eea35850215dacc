package io.framewire.api;

/**
 * Where a pipeline node runs (docs/scaling.md). A node says it with {@code "placement"}; a plugin
 * gives each tool a default with {@link ToolPlugin#defaultPlacement}.
 */
public enum Placement {
  /** On the process that runs the session. */
  LOCAL,
  /**
   * On a cluster worker, when this process is a front without the worker role and Pekko Cluster is
   * configured; locally otherwise (a single process, or a process that is itself a worker).
   */
  WORKER;

  /** The JSON spelling: {@code "local"} or {@code "worker"}. */
  public String json() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses the JSON spelling; null for anything else. */
  public static Placement fromJson(String value) {
    if ("local".equals(value)) {
      return LOCAL;
    }
    if ("worker".equals(value)) {
      return WORKER;
    }
    return null;
  }
}
