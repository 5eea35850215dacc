package io.framewire.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** A test-only tool plugin assembled from lambdas; never registered in META-INF/services. */
public final class FakePlugin implements ToolPlugin {

  private final String id;
  private final Map<String, Function<JsonNode, Tool>> factories = new LinkedHashMap<>();
  private final Set<String> stateful = new HashSet<>();

  public FakePlugin(String id) {
    this.id = id;
  }

  /** A stateless tool: the same instance for every create. */
  public FakePlugin tool(String toolId, Tool tool) {
    return toolFactory(toolId, params -> tool);
  }

  public FakePlugin toolFactory(String toolId, Function<JsonNode, Tool> factory) {
    factories.put(toolId, factory);
    return this;
  }

  public FakePlugin statefulTool(String toolId, Function<JsonNode, Tool> factory) {
    stateful.add(toolId);
    return toolFactory(toolId, factory);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Set<String> toolIds() {
    return factories.keySet();
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    return factories.get(toolId).apply(params);
  }

  @Override
  public boolean isStateful(String toolId) {
    return stateful.contains(toolId);
  }
}
