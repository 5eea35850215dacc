package io.framewire.pipeline;

import io.framewire.api.Tool;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.framewire.tools.debug.DebugPlugin;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolRegistryTest {

  @Test
  void findsBuiltInPluginsWithServiceLoader() {
    ToolRegistry registry = ToolRegistry.fromClasspath();
    assertTrue(registry.hasTool("debug", "echo"));
  }

  @Test
  void unknownPluginAndToolAreNamedInTheError() {
    ToolRegistry registry = ToolRegistry.of(new DebugPlugin());
    var noPlugin = assertThrows(IllegalArgumentException.class, () -> registry.create("nope", "echo", null));
    assertEquals("unknown plugin 'nope'", noPlugin.getMessage());
    var noTool = assertThrows(IllegalArgumentException.class, () -> registry.create("debug", "nope", null));
    assertEquals("unknown tool 'nope' in plugin 'debug'", noTool.getMessage());
  }

  @Test
  void debugToolsDoWhatTheySay() throws Exception {
    ToolRegistry registry = ToolRegistry.of(new DebugPlugin());
    Tool echo = registry.create("debug", "echo", null);
    assertEquals(Map.of("frame_index", 7L, "bytes", 3), echo.apply(Map.of("frame_index", 7L, "image_bytes", new byte[3])));

    var params = JsonNodeFactory.instance.objectNode().put("message", "boom");
    Tool fail = registry.create("debug", "fail", params);
    assertEquals("boom", assertThrows(IllegalStateException.class, () -> fail.apply(Map.of())).getMessage());

    Tool event = registry.create("debug", "event", JsonNodeFactory.instance.objectNode().put("every", 3));
    assertEquals(Map.of("events", java.util.List.of(Map.of("type", "debug", "label", "debug", "frame_index", 6L))),
        event.apply(Map.of("frame_index", 6L)));
    assertEquals(Map.of("events", java.util.List.of()), event.apply(Map.of("frame_index", 7L)));
    Tool everyFrame = registry.create("debug", "event", null);
    assertEquals(1, ((java.util.List<?>) everyFrame.apply(Map.of("frame_index", 7L)).get("events")).size());
    var badEvery = JsonNodeFactory.instance.objectNode().put("every", 0);
    assertThrows(IllegalArgumentException.class, () -> registry.create("debug", "event", badEvery));

    var badSleep = JsonNodeFactory.instance.objectNode().put("ms", -1);
    assertThrows(IllegalArgumentException.class, () -> registry.create("debug", "sleep", badSleep));
  }
}
