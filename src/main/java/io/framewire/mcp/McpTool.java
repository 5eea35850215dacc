package io.framewire.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import java.util.function.Function;

/**
 * One tool as framewire declares it: its name, a title and description for the model, its input
 * schema, and what a call does (its arguments in, a result out; a {@link ToolError} for arguments it
 * cannot act on).
 */
record McpTool(String name, String title, String description, Map<String, Object> inputSchema,
    Function<Args, McpSchema.CallToolResult> call) {}
