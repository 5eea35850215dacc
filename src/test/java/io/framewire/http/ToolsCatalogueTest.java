package io.framewire.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.framewire.inference.ModelRegistry;
import io.framewire.inference.OnnxPlugin;
import io.framewire.inference.TestModels;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.testing.GatePlugin;
import io.framewire.api.ToolPlugin;
import io.framewire.pipeline.ToolRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /tools} against the validator behind {@code POST /pipelines/validate}: one schema, so
 * every listed tool accepts its listed defaults, and refuses a misspelt key, a wrong type and an
 * out-of-range value in exactly the words the catalogue implies. {@link WorkbenchRoutes} in
 * pekko-http's route testkit (no port).
 */
class ToolsCatalogueTest extends JupiterRouteTest {

  /** A valid value for a required param without a default or min (else the test tries "x"). */
  static final Map<String, JsonNode> REQUIRED_SAMPLES = Map.of(
      "onnx/detect/model", Http.JSON.valueToTree("yolov8_const.onnx"),
      "onnx/classify/model", Http.JSON.valueToTree("classify_means.onnx"),
      "analytics/lines/lines", json("[{\"name\": \"door\", \"from\": [0, 10], \"to\": [100, 10]}]"),
      "analytics/zones/zones", json("[{\"name\": \"lot\", \"points\": [[0, 0], [1, 0], [1, 1]]}]"));

  private static JsonNode json(String text) {
    try {
      return Http.JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static final ModelRegistry models = ModelRegistry.create(TestModels.settings(TestModels.dir()));
  static final ToolRegistry tools = serversTools();

  /** The routes over the tools a test server has, plus the onnx plugin over the committed test models. */
  final Http http = new Http(testRoute(new WorkbenchRoutes(PipelineRegistry.load(tools, Optional.empty()), tools,
      new AdminAccess(""), false, Http.JSON).route()));

  private static ToolRegistry serversTools() {
    List<ToolPlugin> plugins = new ArrayList<>();
    ServiceLoader.load(ToolPlugin.class).forEach(plugins::add);
    plugins.add(new GatePlugin());
    plugins.add(new OnnxPlugin(models));
    return ToolRegistry.of(plugins);
  }

  @AfterAll
  static void stop() {
    models.close();
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
    expected.add("onnx/detect");
    expected.add("onnx/classify");
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
    // The onnx tools declare their schema: model required, format one of two, scores in 0..1.
    JsonNode detect = tool(catalogue, "onnx", "detect");
    assertTrue(detect.get("params_declared").asBoolean());
    assertTrue(detect.get("uses_colour").asBoolean());
    assertFalse(detect.get("description").asText().isEmpty());
    assertTrue(param(detect, "model").get("required").asBoolean());
    assertEquals("yolov8", param(detect, "format").get("default").asText());
    assertEquals("[\"yolov8\",\"yolov5\"]", param(detect, "format").get("allowed").toString());
    assertEquals(0.25, param(detect, "confidence").get("default").asDouble());
    assertEquals(1, param(detect, "confidence").get("max").asInt());
    assertEquals(100, param(detect, "max_detections").get("default").asInt());
    assertEquals("string_list", param(detect, "classes").get("type").asText());
    JsonNode classify = tool(catalogue, "onnx", "classify");
    assertTrue(param(classify, "model").get("required").asBoolean());
    assertEquals(5, param(classify, "top_k").get("default").asInt());
    assertTrue(param(classify, "normalize").get("default").asBoolean());
    JsonNode typo = validate("onnx", "detect",
        Http.JSON.createObjectNode().put("model", "yolov8_const.onnx").put("confidance", 0.5).put("iou", 2));
    assertEquals(List.of("node 'n': unknown param 'confidance' (did you mean 'confidence'?)",
        "node 'n': param 'iou' must be in 0..1, got 2"), errors(typo));
  }

  @Test
  void theValidatorChecksExactlyTheListedSchema() {
    int checked = 0;
    Set<String> checkedParams = new HashSet<>();
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
          JsonNode sample = REQUIRED_SAMPLES.get(where + "/" + p.get("name").asText());
          if (p.has("default")) {
            defaults.set(p.get("name").asText(), p.get("default"));
          } else if (sample != null) {
            defaults.set(p.get("name").asText(), sample);
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
          checkedParams.add(where + "/" + name);
        }
      }
    }
    assertTrue(checked >= 6, "params checked: " + checked);
    assertTrue(checkedParams.containsAll(List.of("onnx/detect/model", "onnx/detect/format", "onnx/detect/confidence",
        "onnx/detect/iou", "onnx/detect/max_detections", "onnx/detect/classes", "onnx/detect/labels",
        "onnx/classify/model", "onnx/classify/top_k", "onnx/classify/labels", "onnx/classify/normalize")),
        "onnx params checked: " + checkedParams);
  }

  private JsonNode validate(String pluginId, String toolId, ObjectNode params) {
    return http.post("/pipelines/validate", Http.single("probe", pluginId, toolId, params.toString())).body();
  }

  private static java.util.List<String> errors(JsonNode body) {
    return WorkbenchRoutesTest.errors(body);
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
