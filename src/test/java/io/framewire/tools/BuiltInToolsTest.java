package io.framewire.tools;

import io.framewire.pipeline.ToolRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** ServiceLoader registration of the vision plugins, and the built-in pipeline files that use them. */
class BuiltInToolsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ToolRegistry registry = ToolRegistry.fromClasspath();

  @Test
  void serviceLoaderFindsTheVisionPlugins() {
    assertTrue(registry.hasTool("image", "info"));
    assertTrue(registry.hasTool("motion", "detect"));
    assertTrue(registry.hasTool("codes", "scan"));
    assertTrue(registry.isStateful("motion", "detect"));
    assertFalse(registry.isStateful("image", "info"));
    assertFalse(registry.isStateful("codes", "scan"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"inspect", "motion", "motion_codes", "motion_track"})
  void builtInPipelineNamesExistingToolsWithValidParams(String id) throws IOException {
    JsonNode pipeline = read("/pipelines/" + id + ".json");
    assertEquals(id, pipeline.path("id").asText());
    assertFalse(pipeline.path("name").asText().isBlank());
    assertFalse(pipeline.path("description").asText().isBlank());
    Set<String> nodeIds = new HashSet<>();
    for (JsonNode node : array(pipeline, "nodes")) {
      String plugin = node.path("plugin_id").asText();
      String tool = node.path("tool_id").asText();
      assertTrue(registry.hasTool(plugin, tool), id + ": no tool " + plugin + "/" + tool);
      assertTrue(nodeIds.add(node.path("id").asText()), id + ": duplicate node id");
      // Creating the tool validates its params, as the loader will.
      registry.create(plugin, tool, node.get("params")).close();
    }
    for (JsonNode edge : array(pipeline, "edges")) {
      assertTrue(nodeIds.contains(edge.path("from_node").asText()), id + ": edge from unknown node " + edge);
      assertTrue(nodeIds.contains(edge.path("to_node").asText()), id + ": edge to unknown node " + edge);
    }
    for (String field : new String[] {"entry_nodes", "output_nodes"}) {
      assertFalse(array(pipeline, field).isEmpty(), id + ": empty " + field);
      array(pipeline, field).forEach(n -> assertTrue(nodeIds.contains(n.asText()), id + ": unknown node in " + field));
    }
  }

  @Test
  void motionCodesRunsBothBranchesFromOneDecode() throws IOException {
    JsonNode pipeline = read("/pipelines/motion_codes.json");
    Set<String> outputs = new HashSet<>();
    array(pipeline, "output_nodes").forEach(n -> outputs.add(n.asText()));
    assertEquals(Set.of("motion", "codes"), outputs);
    assertEquals(2, array(pipeline, "edges").size());
    array(pipeline, "edges").forEach(e -> assertEquals("decode", e.path("from_node").asText()));
  }

  private static JsonNode array(JsonNode pipeline, String field) {
    JsonNode array = pipeline.get(field);
    assertTrue(array != null && array.isArray(), "'" + field + "' must be an array");
    return array;
  }

  private static JsonNode read(String resource) throws IOException {
    try (InputStream in = BuiltInToolsTest.class.getResourceAsStream(resource)) {
      assertNotNull(in, "missing resource " + resource);
      return JSON.readTree(in);
    }
  }
}
