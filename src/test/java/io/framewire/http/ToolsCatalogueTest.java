package io.framewire.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewire.testing.TestServer;
import io.framewire.tools.ToolPlugin;
import io.framewire.tools.ToolRegistry;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /tools} against the validator behind {@code POST /pipelines/validate}: one schema, so
 * every listed tool accepts its listed defaults, and refuses a misspelt key, a wrong type and an
 * out-of-range value in exactly the words the catalogue implies.
 */
class ToolsCatalogueTest {

  static TestServer server;
  static Http http;

  @BeforeAll
  static void start() {
    server = TestServer.start();
    http = new Http(server.port());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void everyToolOfTheServerIsListedWithItsFlags() {
    JsonNode catalogue = http.get("/tools").body();
    Set<String> listed = new HashSet<>();
    for (JsonNode plugin : catalogue) {
      for (JsonNode tool : plugin.get("tools")) {
        listed.add(plugin.get("plugin_id").asText() + "/" + tool.get("tool_id").asText());
        assertTrue(tool.has("stateful") && tool.has("blocking") && tool.has("description"), tool.toString());
      }
    }
    Set<String> expected = new HashSet<>();
    for (ToolPlugin plugin : ToolRegistry.fromClasspath().plugins()) {
      plugin.toolIds().forEach(t -> expected.add(plugin.id() + "/" + t));
    }
    assertTrue(listed.containsAll(expected), "missing: " + expected);
    JsonNode motion = tool(catalogue, "motion", "detect");
    assertTrue(motion.get("stateful").asBoolean());
    assertEquals(25, param(motion, "threshold").get("default").asInt());
    assertEquals(1, param(motion, "threshold").get("min").asInt());
    assertEquals(255, param(motion, "threshold").get("max").asInt());
    assertFalse(tool(catalogue, "debug", "echo").get("blocking").asBoolean());
    assertTrue(param(tool(catalogue, "debug", "sleep"), "ms").get("required").asBoolean());
    // The test's GatePlugin declares no schema: listed as such, and not checked for unknown keys.
    JsonNode gate = tool(catalogue, "test", "gate");
    assertFalse(gate.get("params_declared").asBoolean());
    assertTrue(gate.get("params").isNull());
    assertTrue(validate("test", "gate", Http.JSON.createObjectNode().put("anything", 1)).get("valid").asBoolean());
  }

  @Test
  void theValidatorChecksExactlyTheListedSchema() {
    int checked = 0;
    for (JsonNode plugin : http.get("/tools").body()) {
      for (JsonNode tool : plugin.get("tools")) {
        if (!tool.get("params_declared").asBoolean()) {
          continue;
        }
        String pluginId = plugin.get("plugin_id").asText();
        String toolId = tool.get("tool_id").asText();
        String where = pluginId + "/" + toolId;
        ObjectNode defaults = Http.JSON.createObjectNode();
        for (JsonNode p : tool.get("params")) {
          if (p.has("default")) {
            defaults.set(p.get("name").asText(), p.get("default"));
          } else if (p.get("required").asBoolean()) {
            defaults.set(p.get("name").asText(), p.has("min") ? p.get("min") : Http.JSON.valueToTree("x"));
          }
        }
        JsonNode ok = validate(pluginId, toolId, defaults);
        assertTrue(ok.get("valid").asBoolean(), where + " accepts its listed defaults: " + ok);

        for (JsonNode p : tool.get("params")) {
          String name = p.get("name").asText();
          ObjectNode misspelt = defaults.deepCopy();
          misspelt.remove(name);
          misspelt.set(name + "x", p.has("default") ? p.get("default") : Http.JSON.valueToTree(1));
          JsonNode typo = validate(pluginId, toolId, misspelt);
          assertTrue(errors(typo).contains("node 'n': unknown param '" + name + "x' (did you mean '" + name + "'?)"),
              where + ": " + typo);

          ObjectNode wrongType = defaults.deepCopy();
          wrongType.set(name, p.get("type").asText().equals("string") ? Http.JSON.valueToTree(7) : Http.JSON.valueToTree("seven"));
          assertFalse(validate(pluginId, toolId, wrongType).get("valid").asBoolean(), where + " " + name + " type");

          if (p.has("max") && p.get("max").asLong() < Integer.MAX_VALUE) {
            ObjectNode tooHigh = defaults.deepCopy();
            tooHigh.put(name, p.get("max").asDouble() + 1);
            if (p.get("type").asText().equals("integer")) {
              tooHigh.put(name, p.get("max").asLong() + 1);
            }
            JsonNode high = validate(pluginId, toolId, tooHigh);
            assertTrue(errors(high).stream().anyMatch(e -> e.startsWith("node 'n': param '" + name + "' must be")),
                where + ": " + high);
          }
          checked++;
        }
      }
    }
    assertTrue(checked >= 6, "params checked: " + checked);
  }

  private static JsonNode validate(String pluginId, String toolId, ObjectNode params) {
    return http.post("/pipelines/validate", Http.single("probe", pluginId, toolId, params.toString())).body();
  }

  private static java.util.List<String> errors(JsonNode body) {
    return WorkbenchApiTest.errors(body);
  }

  private static JsonNode tool(JsonNode catalogue, String pluginId, String toolId) {
    for (JsonNode plugin : catalogue) {
      if (plugin.get("plugin_id").asText().equals(pluginId)) {
        for (JsonNode tool : plugin.get("tools")) {
          if (tool.get("tool_id").asText().equals(toolId)) {
            return tool;
          }
        }
      }
    }
    throw new AssertionError(pluginId + "/" + toolId + " not listed");
  }

  private static JsonNode param(JsonNode tool, String name) {
    for (JsonNode p : tool.get("params")) {
      if (p.get("name").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no param " + name + " in " + tool);
  }
}
