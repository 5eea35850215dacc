package io.framewire.tools.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.api.ParamSpec;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.PipelineValidator;
import io.framewire.pipeline.ToolRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The params of lines and zones as the pipeline validator reports them (what a user reads). */
class AnalyticsParamsTest {

  private static final ToolRegistry TOOLS = ToolRegistry.fromClasspath();

  private static List<String> problems(String toolId, String params) {
    String pipeline = """
        {"id": "p", "name": "P",
         "nodes": [
           {"id": "track", "plugin_id": "track", "tool_id": "bytetrack"},
           {"id": "count", "plugin_id": "analytics", "tool_id": "%s", "params": %s}],
         "edges": [{"from_node": "track", "to_node": "count"}],
         "entry_nodes": ["track"], "output_nodes": ["count"]}
        """.formatted(toolId, params);
    return PipelineValidator.problems(PipelineJson.read(pipeline), TOOLS);
  }

  @Test
  void validParamsPass() {
    assertEquals(List.of(), problems("lines", "{\"lines\": [{\"name\": \"door\", \"from\": [0, 10], \"to\": [640, 10]}]}"));
    assertEquals(List.of(), problems("zones", "{\"zones\": [{\"name\": \"lot\", \"points\": [[0, 0], [1, 0], [1, 1]],"
        + " \"dwell_s\": 3}], \"units\": \"relative\", \"anchor\": \"center\", \"dwell_s\": 10}"));
  }

  @Test
  void schemaErrorsNameTheParamAndSuggest() {
    assertEquals(List.of(
            "node 'count': unknown param 'line' (did you mean 'lines'?)",
            "node 'count': missing required param 'lines' (any JSON value)",
            "node 'count': param 'anchor' has unknown value 'bottom_centre' (did you mean 'bottom_center'? allowed: "
                + String.join(", ", Anchor.NAMES) + ")",
            "node 'count': param 'min_frames' must be in 1..1000, got 0"),
        problems("lines", "{\"line\": [], \"anchor\": \"bottom_centre\", \"min_frames\": 0}"));
  }

  @Test
  void lineErrorsNameTheLineAndTheProblem() {
    assertEquals(List.of("node 'count': invalid params: line 'door': 'from' must be [x, y], got [1];"
            + " line 'door': 'to' must be [x, y], got \"here\""),
        problems("lines", "{\"lines\": [{\"name\": \"door\", \"from\": [1], \"to\": \"here\"}]}"));
    assertEquals(List.of("node 'count': invalid params: line 'door': unknown key 'form' (did you mean 'from'?);"
            + " line 'door': 'from' must be [x, y], got null"),
        problems("lines", "{\"lines\": [{\"name\": \"door\", \"form\": [1, 2], \"to\": [3, 4]}]}"));
    assertEquals(List.of("node 'count': invalid params: line 'door': the name is used twice (names must be unique);"
            + " line 'door': 'from' and 'to' are the same point; line 3: 'name' must be a non-empty string, got null"),
        problems("lines", "{\"lines\": [{\"name\": \"door\", \"from\": [0, 0], \"to\": [9, 9]},"
            + " {\"name\": \"door\", \"from\": [1, 1], \"to\": [1, 1]}, {\"from\": [0, 0], \"to\": [9, 9]}]}"));
    assertEquals(List.of("node 'count': invalid params: line 'door': 'to' must be in 0..1 with units 'relative', got [1.5,0.5]"),
        problems("lines", "{\"units\": \"relative\", \"lines\": [{\"name\": \"door\", \"from\": [0, 0.5], \"to\": [1.5, 0.5]}]}"));
    assertEquals(List.of("node 'count': invalid params: param 'lines' must be a non-empty array of"
            + " {\"name\", \"from\": [x, y], \"to\": [x, y]}, got []"),
        problems("lines", "{\"lines\": []}"));
  }

  @Test
  void zoneErrorsNameTheZoneAndTheProblem() {
    assertEquals(List.of("node 'count': invalid params: zone 'lot': 'points' must be an array of at least 3 points [x, y],"
            + " got [[0,0],[1,1]]; zone 'gate': the points enclose no area (all on one line);"
            + " zone 'bay': 'dwell_s' must be a number > 0, got 0"),
        problems("zones", "{\"zones\": [{\"name\": \"lot\", \"points\": [[0, 0], [1, 1]]},"
            + " {\"name\": \"gate\", \"points\": [[0, 0], [1, 1], [2, 2]]},"
            + " {\"name\": \"bay\", \"points\": [[0, 0], [1, 0], [1, 1]], \"dwell_s\": 0}]}"));
  }

  @Test
  void getToolsListsTheSchemaAndBothToolsAreStateful() {
    List<String> lines = TOOLS.params("analytics", "lines").orElseThrow().stream().map(ParamSpec::name).toList();
    assertEquals(List.of("lines", "units", "anchor", "min_frames", "min_distance", "lost_frames"), lines);
    List<String> zones = TOOLS.params("analytics", "zones").orElseThrow().stream().map(ParamSpec::name).toList();
    assertEquals(List.of("zones", "dwell_s", "units", "anchor", "min_frames", "min_distance", "lost_frames"), zones);
    assertTrue(TOOLS.isStateful("analytics", "lines"));
    assertTrue(TOOLS.isStateful("analytics", "zones"));
  }
}
