package io.framewire.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tool results: the structured content, also as one JSON text block first (the MCP specification
 * asks for both, for clients that read only text), then any pictures; errors as {@code isError}
 * results whose text is the detail and whose structured content is {@code {"error","detail"}}.
 */
final class Results {

  private final McpJsonMapper mapper;

  Results(McpJsonMapper mapper) {
    this.mapper = mapper;
  }

  McpSchema.CallToolResult ok(Map<String, Object> structured, List<McpSchema.Content> pictures) {
    McpSchema.CallToolResult.Builder result = McpSchema.CallToolResult.builder()
        .structuredContent(structured)
        .addTextContent(json(structured));
    pictures.forEach(result::addContent);
    return result.isError(false).build();
  }

  McpSchema.CallToolResult ok(Map<String, Object> structured) {
    return ok(structured, List.of());
  }

  static McpSchema.CallToolResult error(ToolError error) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error.code());
    body.put("detail", error.getMessage());
    return McpSchema.CallToolResult.builder().structuredContent(body).addTextContent(error.getMessage())
        .isError(true).build();
  }

  static McpSchema.ImageContent jpeg(byte[] jpeg) {
    return new McpSchema.ImageContent(null, Base64.getEncoder().encodeToString(jpeg), "image/jpeg");
  }

  private String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("a tool's result is JSON", e);
    }
  }
}
