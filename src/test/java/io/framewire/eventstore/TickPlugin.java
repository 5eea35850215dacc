package io.framewire.eventstore;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * {@code evt/tick}: exactly one {@code tick} event per frame, naming the frame ({@code frame_index})
 * and labelled with the node's {@code label} param ({@code thing} if unset). Public with a no-argument
 * constructor and importing only the API, so {@link #jar} can put it in a plugin jar next to the
 * server jar ({@link EventCrashIT}, {@code SinkCrashIT}).
 */
public final class TickPlugin implements ToolPlugin {

  @Override
  public String id() {
    return "evt";
  }

  @Override
  public Set<String> toolIds() {
    return Set.of("tick");
  }

  @Override
  public boolean isBlocking(String toolId) {
    return false; // a map lookup: no thread hand-off needed
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    String label = params != null && params.hasNonNull("label") ? params.get("label").asText() : "thing";
    return input -> Map.of("events", List.of(Map.of(
        "type", "tick", "label", label, "frame_index", input.get("frame_index"))));
  }

  /** A pipeline {@code id} of one {@code evt/tick} node {@code ticker} labelling its events {@code label}. */
  public static String pipeline(String id, String label) {
    return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"nodes\":[{\"id\":\"ticker\",\"plugin_id\":\"evt\","
        + "\"tool_id\":\"tick\",\"params\":{\"label\":\"" + label + "\"}}],\"edges\":[],"
        + "\"entry_nodes\":[\"ticker\"],\"output_nodes\":[\"ticker\"]}";
  }

  /**
   * A plugin jar as an author ships one: this plugin's classes from the test build, its {@code
   * META-INF/services} entry, and {@code pipelines/ticking.json} ({@link #pipeline}{@code ("ticking",
   * "thing")}, loaded with the built-ins).
   */
  public static Path jar(Path jar) throws IOException {
    Path classes = Path.of("target", "test-classes");
    String pkg = TickPlugin.class.getPackageName().replace('.', '/');
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
        Stream<Path> files = Files.list(classes.resolve(pkg))) {
      for (Path file : files.filter(f -> f.getFileName().toString().startsWith("TickPlugin")).toList()) {
        put(out, pkg + "/" + file.getFileName(), Files.readAllBytes(file));
      }
      put(out, "META-INF/services/io.framewire.api.ToolPlugin",
          (TickPlugin.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
      // A directory entry, as jar tools write: the pipeline loader finds pipelines/ by getResources.
      out.putNextEntry(new JarEntry("pipelines/"));
      out.closeEntry();
      put(out, "pipelines/ticking.json", pipeline("ticking", "thing").getBytes(StandardCharsets.UTF_8));
    }
    return jar;
  }

  private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.write(bytes);
    out.closeEntry();
  }
}
