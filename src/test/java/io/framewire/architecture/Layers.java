package io.framewire.architecture;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The package layer table, as data: which framewire packages each package may import. {@link
 * LayerRulesTest} enforces it on the compiled classes and {@link ArchitectureDocTest} holds
 * docs/architecture.md's table to it, so the page and the rules cannot drift apart.
 *
 * <p>Names are relative to {@code io.framewire}; {@value #ROOT} is the root package itself. A
 * class belongs to the longest name in the table its package starts with ({@code tools.motion} is
 * {@code tools}; {@code pipeline.store} is its own row, not {@code pipeline}'s). Every package may
 * import {@code api} and itself; the table lists everything else it may import.
 */
final class Layers {

  static final String ROOT = "io.framewire";
  static final String API = "api";

  static final Map<String, Set<String>> MAY_IMPORT = table(
      "api", "",
      "metrics", "",
      "events", "",
      "websocket", "",
      "memory", "",
      "tools", "",
      "inference", "metrics",
      "pipeline", "",
      "pipeline.store", "pipeline",
      "engine", "pipeline pipeline.store inference metrics events eventstore",
      "video", "engine pipeline",
      "net", "metrics",
      "streaming", "engine pipeline net metrics events",
      "sources", "streaming video engine pipeline metrics events",
      "eventstore", "events metrics",
      "sinks", "events eventstore metrics",
      "cluster", "engine pipeline pipeline.store metrics",
      "jobs", "engine pipeline video streaming events metrics",
      "mcp", "sources video engine pipeline pipeline.store events eventstore jobs",
      "settings", "streaming sources inference cluster net engine video memory eventstore sinks jobs mcp",
      "http", "streaming sources engine pipeline pipeline.store video websocket net metrics events eventstore sinks"
          + " jobs mcp",
      "server", "metrics websocket memory tools inference pipeline pipeline.store engine video net"
          + " streaming sources cluster settings http events eventstore sinks jobs mcp",
      "cli", "settings engine video streaming pipeline pipeline.store",
      "bench", "metrics websocket memory tools inference pipeline pipeline.store engine video net"
          + " streaming sources cluster settings http server events eventstore sinks jobs mcp",
      ROOT, "server settings memory");

  private Layers() {
  }

  /** The table row a class of this package belongs to; empty for a package outside the table. */
  static Optional<String> rowOf(String javaPackage) {
    if (javaPackage.equals(ROOT)) {
      return Optional.of(ROOT);
    }
    if (!javaPackage.startsWith(ROOT + ".")) {
      return Optional.empty();
    }
    String relative = javaPackage.substring(ROOT.length() + 1);
    return MAY_IMPORT.keySet().stream()
        .filter(row -> !row.equals(ROOT))
        .filter(row -> relative.equals(row) || relative.startsWith(row + "."))
        .max((a, b) -> Integer.compare(a.length(), b.length()));
  }

  /** Whether a class of row {@code from} may depend on a class of row {@code to}. */
  static boolean allows(String from, String to) {
    return from.equals(to) || to.equals(API) || MAY_IMPORT.get(from).contains(to);
  }

  private static Map<String, Set<String>> table(String... rowsAndImports) {
    Map<String, Set<String>> table = new LinkedHashMap<>();
    for (int i = 0; i < rowsAndImports.length; i += 2) {
      String imports = rowsAndImports[i + 1];
      table.put(rowsAndImports[i],
          imports.isEmpty() ? Set.of() : new TreeSet<>(List.of(imports.split(" "))));
    }
    return table;
  }
}
