package io.framewire.pipeline;

import io.framewire.api.ParamSpec;
import io.framewire.api.Placement;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The tool plugins known to this server: the built-ins plus any found on the classpath. */
public final class ToolRegistry {

  private final Map<String, ToolPlugin> plugins = new LinkedHashMap<>();

  /** Plugins found with {@link ServiceLoader}: built-ins and every jar that registers one. */
  public static ToolRegistry fromClasspath() {
    return fromClasspath(List.of());
  }

  /**
   * The plugins found with {@link ServiceLoader}, plus plugins the server constructs itself because
   * they need server state that a no-argument ServiceLoader plugin cannot get (e.g. {@code onnx},
   * built with the server's model registry).
   */
  public static ToolRegistry fromClasspath(List<? extends ToolPlugin> serverPlugins) {
    List<ToolPlugin> all = new java.util.ArrayList<>(
        ServiceLoader.load(ToolPlugin.class).stream().map(ServiceLoader.Provider::get).toList());
    all.addAll(serverPlugins);
    return of(all);
  }

  /** Exactly these plugins (for tests and embedding). */
  public static ToolRegistry of(Collection<? extends ToolPlugin> plugins) {
    ToolRegistry registry = new ToolRegistry();
    for (ToolPlugin plugin : plugins) {
      ToolPlugin previous = registry.plugins.putIfAbsent(plugin.id(), plugin);
      if (previous != null && previous.getClass() != plugin.getClass()) {
        throw new IllegalStateException(
            "two tool plugins claim plugin_id '" + plugin.id() + "': "
                + previous.getClass().getName() + " and " + plugin.getClass().getName());
      }
    }
    return registry;
  }

  public static ToolRegistry of(ToolPlugin... plugins) {
    return of(List.of(plugins));
  }

  public Optional<ToolPlugin> plugin(String pluginId) {
    return Optional.ofNullable(plugins.get(pluginId));
  }

  public boolean hasTool(String pluginId, String toolId) {
    ToolPlugin plugin = plugins.get(pluginId);
    return plugin != null && plugin.toolIds().contains(toolId);
  }

  /**
   * Creates a configured tool.
   *
   * @throws IllegalArgumentException for an unknown plugin or tool, or invalid params
   */
  public Tool create(String pluginId, String toolId, JsonNode params) {
    ToolPlugin plugin = plugins.get(pluginId);
    if (plugin == null) {
      throw new IllegalArgumentException("unknown plugin '" + pluginId + "'");
    }
    if (!plugin.toolIds().contains(toolId)) {
      throw new IllegalArgumentException(
          "unknown tool '" + toolId + "' in plugin '" + pluginId + "'");
    }
    return plugin.create(toolId, params == null ? JsonNodeFactory.instance.objectNode() : params);
  }

  public boolean isStateful(String pluginId, String toolId) {
    ToolPlugin plugin = plugins.get(pluginId);
    return plugin != null && plugin.isStateful(toolId);
  }

  /** Unknown tools count as blocking (the safe side). */
  public boolean isBlocking(String pluginId, String toolId) {
    ToolPlugin plugin = plugins.get(pluginId);
    return plugin == null || plugin.isBlocking(toolId);
  }

  public boolean usesColour(String pluginId, String toolId) {
    ToolPlugin plugin = plugins.get(pluginId);
    return plugin != null && plugin.usesColour(toolId);
  }

  /** The tool's declared params, empty for an unknown tool or one whose plugin declares no schema. */
  public Optional<List<ParamSpec>> params(String pluginId, String toolId) {
    ToolPlugin plugin = plugins.get(pluginId);
    if (plugin == null || !plugin.toolIds().contains(toolId)) {
      return Optional.empty();
    }
    return plugin.params(toolId);
  }

  /** The plugin's default placement for the tool; LOCAL for unknown tools. */
  public Placement defaultPlacement(String pluginId, String toolId) {
    ToolPlugin plugin = plugins.get(pluginId);
    Placement placement = plugin == null ? null : plugin.defaultPlacement(toolId);
    return placement == null ? Placement.LOCAL : placement;
  }

  public Collection<ToolPlugin> plugins() {
    return List.copyOf(plugins.values());
  }
}
