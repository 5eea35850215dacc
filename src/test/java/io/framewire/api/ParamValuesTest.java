package io.framewire.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParamValuesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final List<ParamSpec> SPECS = List.of(
      ParamSpec.integer("size", "input size").range(32, 1024).withDefault(640),
      ParamSpec.number("score", "minimum score").rangeAbove(0, 1).withDefault(0.5),
      ParamSpec.bool("nms", "non-maximum suppression").withDefault(true),
      ParamSpec.string("model", "model file").asRequired(),
      ParamSpec.string("device", "where to run").allowed(List.of("cpu", "cuda")).withDefault("cpu"),
      ParamSpec.numberList("mean", "per-channel mean").range(0, 1),
      ParamSpec.json("extra", "anything the tool checks itself"));

  private static JsonNode params(String json) throws Exception {
    return JSON.readTree(json);
  }

  @Test
  void valuesAndDefaultsComeThroughTheSchema() throws Exception {
    ParamValues v = ParamValues.read(SPECS,
        params("{\"model\": \"y.onnx\", \"mean\": [0.4, 0.5, 0.6], \"extra\": {\"a\": [1]}, \"score\": null}"));
    assertEquals(640L, v.integer("size"));
    assertEquals(0.5, v.number("score"), "null counts as absent: the default");
    assertEquals(true, v.bool("nms"));
    assertEquals("y.onnx", v.string("model"));
    assertEquals("cpu", v.string("device"));
    assertEquals(List.of(0.4, 0.5, 0.6), v.numberList("mean"));
    assertEquals(params("{\"a\": [1]}"), v.json("extra"));
    assertNull(ParamValues.read(SPECS, params("{\"model\": \"m\"}")).numberList("mean"));
    assertThrows(IllegalArgumentException.class, () -> v.string("modle"), "only the schema's names");
  }

  @Test
  void everyProblemIsListed() throws Exception {
    List<String> errors = ParamValues.check(SPECS,
        params("{\"sise\": 3, \"size\": 2000, \"score\": 0, \"nms\": \"yes\", \"device\": \"metal\", \"mean\": [0.5, 2, \"x\"]}"));
    assertEquals(List.of(
        "unknown param 'sise' (did you mean 'size'?)",
        "param 'size' must be in 32..1024, got 2000",
        "param 'score' must be in (0, 1], got 0",
        "param 'nms' must be a boolean (true or false), got \"yes\"",
        "missing required param 'model' (a string)",
        "param 'device' has unknown value 'metal' (allowed: cpu, cuda)",
        "param 'mean' element must be in 0..1, got 2",
        "param 'mean' must contain only numbers, got \"x\""), errors);
    var e = assertThrows(IllegalArgumentException.class, () -> ParamValues.read(SPECS, params("{\"size\": 1}")));
    assertEquals("param 'size' must be in 32..1024, got 1; missing required param 'model' (a string)", e.getMessage());
    assertEquals(List.of("'params' must be a JSON object"), ParamValues.check(SPECS, params("[1]")));
  }

  @Test
  void rangesReadAsPeopleWriteThem() {
    assertEquals("in 1..255", ParamValues.describeRange(ParamSpec.integer("t", "").range(1, 255)));
    assertEquals(">= 0", ParamValues.describeRange(ParamSpec.integer("t", "").min(0)));
    assertEquals("in (0, 1]", ParamValues.describeRange(ParamSpec.number("a", "").rangeAbove(0, 1)));
    assertEquals("> 0.5", ParamValues.describeRange(ParamSpec.number("a", "").rangeAbove(0.5, null)));
    assertEquals("<= 10", ParamValues.describeRange(ParamSpec.number("a", "").range(null, 10)));
  }

  @Test
  void suggestionsAreOnlyForLikelyTypos() {
    assertEquals("threshold", Suggestions.closest("treshold", List.of("threshold", "min_area", "alpha")).orElseThrow());
    assertEquals("echo", Suggestions.closest("ehco", List.of("echo", "sleep", "fail")).orElseThrow());
    assertEquals("MIN_AREA", Suggestions.closest("min_area", List.of("MIN_AREA")).orElseThrow());
    assertEquals(java.util.Optional.empty(), Suggestions.closest("colour", List.of("threshold", "min_area", "alpha")));
    assertEquals(java.util.Optional.empty(), Suggestions.closest("x", List.of("a")));
  }
}
