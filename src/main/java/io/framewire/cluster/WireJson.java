package io.framewire.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Node inputs and outputs travel as JSON trees, not as {@code Map<String, Object>}: Pekko's Jackson
 * serializer has the Scala module, which turns untyped nested lists and maps into Scala collections
 * that tools (and {@code JsonSafe}) would not recognise. A tree comes back as plain Java maps, lists,
 * strings, numbers and booleans.
 */
final class WireJson {

  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private WireJson() {}

  /** @param values JSON-safe values (see {@code JsonSafe.wireSafe}) */
  static JsonNode toTree(Map<String, Object> values) {
    return values == null ? JsonNodeFactory.instance.objectNode() : PLAIN.valueToTree(values);
  }

  static Map<String, Object> toMap(JsonNode tree) {
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      return new LinkedHashMap<>();
    }
    return PLAIN.convertValue(tree, MAP);
  }
}
