package io.framewire.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The tools' input schemas (JSON Schema, as MCP declares them), built as maps. */
final class Schemas {

  private Schemas() {}

  /** An object of these properties (name, schema, in pairs), {@code required} of them, nothing else. */
  static Map<String, Object> object(List<String> required, Object... properties) {
    Map<String, Object> props = new LinkedHashMap<>();
    for (int i = 0; i < properties.length; i += 2) {
      props.put((String) properties[i], properties[i + 1]);
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", props);
    if (!required.isEmpty()) {
      schema.put("required", required);
    }
    schema.put("additionalProperties", false);
    return schema;
  }

  static Map<String, Object> string(String description) {
    return Map.of("type", "string", "description", description);
  }

  static Map<String, Object> integer(String description, int min, int max) {
    return Map.of("type", "integer", "description", description, "minimum", min, "maximum", max);
  }

  static Map<String, Object> stringOrList(String description) {
    return Map.of("description", description,
        "anyOf", List.of(Map.of("type", "string"), Map.of("type", "array", "items", Map.of("type", "string"))));
  }

  static Map<String, Object> time(String description) {
    return Map.of("description", description + ": ISO-8601 (2025-06-01T12:00:00Z) or epoch milliseconds",
        "anyOf", List.of(Map.of("type", "string"), Map.of("type", "integer")));
  }

  static Map<String, Object> enumOf(String description, String... values) {
    return Map.of("type", "string", "description", description, "enum", List.of(values));
  }
}
