package io.framewire.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineJsonTest {

  private static final String FULL = """
      {
        "id": "motion_codes",
        "name": "Motion and codes",
        "description": "decode, then motion and codes in parallel",
        "nodes": [
          {"id": "decode", "plugin_id": "image", "tool_id": "decode"},
          {"id": "motion", "plugin_id": "motion", "tool_id": "detect", "params": {"threshold": 0.2}}
        ],
        "edges": [{"from_node": "decode", "to_node": "motion"}],
        "entry_nodes": ["decode"],
        "output_nodes": ["motion"]
      }""";

  @Test
  void readsTheSnakeCaseFormat() {
    PipelineDefinition p = PipelineJson.read(FULL);
    assertEquals("motion_codes", p.id());
    assertEquals("decode, then motion and codes in parallel", p.description());
    assertEquals(new EdgeDefinition("decode", "motion"), p.edges().get(0));
    assertEquals(List.of("decode"), p.entryNodes());
    assertEquals(List.of("motion"), p.outputNodes());
    assertNull(p.nodes().get(0).params());
    assertEquals(0.2, p.nodes().get(1).params().get("threshold").asDouble());
  }

  @Test
  void writesBackTheSameFormatOmittingAbsentDescriptionAndParams() throws Exception {
    assertEquals(TestPipelines.JSON.readTree(FULL), TestPipelines.JSON.readTree(PipelineJson.write(PipelineJson.read(FULL))));

    String minimal = """
        {"id":"e","name":"E","nodes":[{"id":"n","plugin_id":"debug","tool_id":"echo","params":null}],
         "edges":[],"entry_nodes":["n"],"output_nodes":["n"]}""";
    String written = PipelineJson.write(PipelineJson.read(minimal));
    assertEquals(
        "{\"id\":\"e\",\"name\":\"E\",\"nodes\":[{\"id\":\"n\",\"plugin_id\":\"debug\",\"tool_id\":\"echo\"}],"
            + "\"edges\":[],\"entry_nodes\":[\"n\"],\"output_nodes\":[\"n\"]}",
        written);
  }

  @Test
  void unknownTopLevelFieldIsRejectedByName() {
    var e = assertThrows(PipelineValidationException.class,
        () -> PipelineJson.read(FULL.replace("\"entry_nodes\"", "\"entry_node\"")));
    assertTrue(e.getMessage().startsWith("unknown field 'entry_node' (known fields: "), e.getMessage());
    assertTrue(e.getMessage().contains("entry_nodes"), e.getMessage());
    assertTrue(e.getMessage().contains("line "), e.getMessage());
  }

  @Test
  void unknownNodeFieldIsRejectedWithItsLocation() {
    var e = assertThrows(PipelineValidationException.class,
        () -> PipelineJson.read(FULL.replace("\"tool_id\": \"decode\"", "\"tool\": \"decode\"")));
    assertTrue(e.getMessage().startsWith("unknown field 'tool' at nodes[0]"), e.getMessage());
  }

  @Test
  void malformedJsonAndDuplicateKeysAreRejected() {
    var malformed = assertThrows(PipelineValidationException.class, () -> PipelineJson.read("{\"id\": \"x\", "));
    assertTrue(malformed.getMessage().startsWith("malformed JSON"), malformed.getMessage());
    var duplicate = assertThrows(PipelineValidationException.class,
        () -> PipelineJson.read("{\"id\": \"x\", \"id\": \"y\"}"));
    assertTrue(duplicate.getMessage().contains("Duplicate field 'id'"), duplicate.getMessage());
  }

  /** Found by the HTTP fuzz (io.framewire.fuzz): Jackson's message named java.lang.String and JsonToken. */
  @Test
  void aWrongTypeIsNamedInJsonTermsWithoutJavaTypes() {
    var array = assertThrows(PipelineValidationException.class, () -> PipelineJson.read(
        "{\"id\":[\"x\"],\"name\":\"n\",\"nodes\":[],\"edges\":[],\"entry_nodes\":[],\"output_nodes\":[]}"));
    assertEquals("invalid pipeline JSON at id: expected a string, found an array (line 1, column 7)", array.getMessage());
    var object = assertThrows(PipelineValidationException.class, () -> PipelineJson.read(
        "{\"id\":\"x\",\"name\":\"n\",\"nodes\":[],\"edges\":{},\"entry_nodes\":[],\"output_nodes\":[]}"));
    assertEquals("invalid pipeline JSON at edges: expected an array, found an object (line 1, column 41)",
        object.getMessage());
  }

  /** Found by the HTTP fuzz: 1,001 nested arrays named StreamReadConstraints.getMaxNestingDepth(). */
  @Test
  void tooDeepNestingIsRefusedWithoutNamingJacksonInternals() {
    var e = assertThrows(PipelineValidationException.class, () -> PipelineJson.read(
        "{\"id\":\"x\",\"nodes\":[{\"id\":\"n\",\"params\":" + "[".repeat(2_000)));
    assertEquals(
        "invalid pipeline JSON at nodes[0].params: Document nesting depth (1001) exceeds the maximum allowed (1000)",
        e.getMessage());
  }
}
