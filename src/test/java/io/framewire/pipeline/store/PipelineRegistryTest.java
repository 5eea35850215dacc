package io.framewire.pipeline.store;

import io.framewire.pipeline.NodeDefinition;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineLoadException;
import io.framewire.pipeline.PipelineValidationException;
import static io.framewire.pipeline.TestPipelines.node;
import static io.framewire.pipeline.TestPipelines.pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.pipeline.ToolRegistry;
import io.framewire.tools.debug.DebugPlugin;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineRegistryTest {

  private static final ToolRegistry TOOLS = ToolRegistry.fromClasspath();

  @TempDir Path dir;

  private static String echoPipeline(String id) {
    return """
        {"id": "%s", "name": "Echo %s",
         "nodes": [{"id": "e", "plugin_id": "debug", "tool_id": "echo"}],
         "edges": [], "entry_nodes": ["e"], "output_nodes": ["e"]}""".formatted(id, id);
  }

  private PipelineLoadException loadFails() {
    return assertThrows(PipelineLoadException.class, () -> PipelineRegistry.load(TOOLS, Optional.of(dir)));
  }

  @Test
  void builtInsLoadFromTheClasspath() {
    PipelineRegistry registry = PipelineRegistry.load(TOOLS, Optional.empty());
    PipelineDefinition echo = registry.get("echo").orElseThrow();
    assertEquals(List.of(new NodeDefinition("echo", "debug", "echo")), echo.nodes());
    assertTrue(registry.all().contains(echo));
  }

  @Test
  void directoryPipelinesLoadAfterBuiltInsInFileNameOrder() throws Exception {
    Files.writeString(dir.resolve("b.json"), echoPipeline("second"));
    Files.writeString(dir.resolve("a.json"), echoPipeline("first"));
    Files.writeString(dir.resolve("notes.txt"), "not a pipeline");

    PipelineRegistry registry = PipelineRegistry.load(TOOLS, Optional.of(dir));

    List<String> ids = registry.all().stream().map(PipelineDefinition::id).toList();
    assertEquals(List.of("first", "second"), ids.subList(ids.size() - 2, ids.size()));
    assertTrue(ids.contains("echo"));
    assertEquals("Echo first", registry.get("first").orElseThrow().name());
    assertTrue(registry.get("missing").isEmpty());
    assertTrue(registry.get(null).isEmpty());
  }

  @Test
  void malformedJsonNamesTheFile() throws Exception {
    Files.writeString(dir.resolve("good.json"), echoPipeline("good"));
    Files.writeString(dir.resolve("broken.json"), "{\"id\": \"broken\",");
    var e = loadFails();
    assertTrue(e.getMessage().startsWith(dir.resolve("broken.json") + ": malformed JSON"), e.getMessage());
    assertEquals(dir.resolve("broken.json").toString(), e.file());
  }

  @Test
  void unknownFieldNamesTheFileAndTheField() throws Exception {
    Files.writeString(dir.resolve("typo.json"), echoPipeline("typo").replace("\"name\"", "\"nmae\""));
    var e = loadFails();
    assertTrue(e.getMessage().startsWith(dir.resolve("typo.json") + ": unknown field 'nmae'"), e.getMessage());
  }

  @Test
  void invalidDefinitionNamesTheFileAndTheRule() throws Exception {
    Files.writeString(dir.resolve("dangling.json"), """
        {"id": "dangling", "name": "Dangling",
         "nodes": [{"id": "e", "plugin_id": "debug", "tool_id": "echo"}],
         "edges": [{"from_node": "e", "to_node": "x"}], "entry_nodes": ["e"], "output_nodes": ["e"]}""");
    assertEquals(dir.resolve("dangling.json") + ": edge to unknown node 'x'", loadFails().getMessage());
  }

  @Test
  void invalidParamsNameTheFile() throws Exception {
    Files.writeString(dir.resolve("nap.json"), echoPipeline("nap")
        .replace("\"tool_id\": \"echo\"", "\"tool_id\": \"sleep\", \"params\": {\"ms\": \"soon\"}"));
    assertEquals(dir.resolve("nap.json") + ": node 'e': param 'ms' must be an integer, got \"soon\"",
        loadFails().getMessage());
  }

  @Test
  void duplicateIdAcrossFilesNamesBothFiles() throws Exception {
    Files.writeString(dir.resolve("a.json"), echoPipeline("same"));
    Files.writeString(dir.resolve("b.json"), echoPipeline("same"));
    assertEquals(dir.resolve("b.json") + ": duplicate pipeline id 'same' (already defined in " + dir.resolve("a.json") + ")",
        loadFails().getMessage());
  }

  @Test
  void directoryCannotRedefineABuiltIn() throws Exception {
    Files.writeString(dir.resolve("echo.json"), echoPipeline("echo"));
    var e = loadFails();
    assertTrue(e.getMessage().startsWith(dir.resolve("echo.json") + ": duplicate pipeline id 'echo'"), e.getMessage());
  }

  @Test
  void missingDirectoryIsAnError() {
    Path missing = dir.resolve("nowhere");
    var e = assertThrows(PipelineLoadException.class, () -> PipelineRegistry.load(TOOLS, Optional.of(missing)));
    assertEquals(missing + ": pipelines directory not found", e.getMessage());
  }

  @Test
  void ofValidatesAndRejectsDuplicateIds() {
    ToolRegistry debug = ToolRegistry.of(new DebugPlugin());
    var echo = pipeline("echo", List.of(node("e", "debug", "echo")), List.of(), List.of("e"), List.of("e"));
    var bad = pipeline("bad", List.of(node("e", "debug", "nope")), List.of(), List.of("e"), List.of("e"));
    assertEquals(List.of(echo), PipelineRegistry.of(debug, List.of(echo)).all());
    assertEquals("duplicate pipeline id 'echo'",
        assertThrows(PipelineValidationException.class, () -> PipelineRegistry.of(debug, List.of(echo, echo))).getMessage());
    assertEquals("node 'e': unknown tool 'nope' in plugin 'debug'; its tools: echo, event, fail, sleep, spin",
        assertThrows(PipelineValidationException.class, () -> PipelineRegistry.of(debug, List.of(bad))).getMessage());
  }

  /** Production runs from the fat jar: built-ins are read from a {@code jar:} URL. */
  @Test
  void builtInsLoadFromInsideAJar() throws Exception {
    Path jar = jarWith("pipelines/jarred.json", echoPipeline("jarred"));
    try (URLClassLoader classLoader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      PipelineRegistry registry = PipelineRegistry.load(TOOLS, Optional.empty(), classLoader);
      assertEquals(List.of("jarred"), registry.all().stream().map(PipelineDefinition::id).toList());
      // Loading twice must not trip over a zip file system left open by the first load.
      assertEquals(1, PipelineRegistry.load(TOOLS, Optional.empty(), classLoader).all().size());
    }
  }

  @Test
  void badBuiltInInsideAJarNamesTheJarAndFile() throws Exception {
    Path jar = jarWith("pipelines/bad.json", "[]");
    try (URLClassLoader classLoader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      var e = assertThrows(PipelineLoadException.class,
          () -> PipelineRegistry.load(TOOLS, Optional.empty(), classLoader));
      assertTrue(e.getMessage().startsWith("built-ins.jar!/pipelines/bad.json: invalid pipeline JSON"), e.getMessage());
    }
  }

  private Path jarWith(String entry, String content) throws Exception {
    Path jar = dir.resolve("built-ins.jar");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      out.putNextEntry(new JarEntry("pipelines/")); // as the jar and shade plugins write it
      out.closeEntry();
      out.putNextEntry(new JarEntry(entry));
      out.write(content.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }
}
