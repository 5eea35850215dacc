package io.framewire.pipeline.store;

import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.pipeline.PipelineJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.pipeline.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry against its directory, driven by explicit rescans (what the watcher calls), so each
 * step is deterministic: reloads, invalid files, id changes, clashes, and the API's writes.
 */
class RegistryDirectoryTest {

  private static final ToolRegistry TOOLS = ToolRegistry.fromClasspath();

  @TempDir Path dir;

  private static String sleep(String id, int ms) {
    return """
        {"id": "%s", "name": "Sleep %s", "nodes": [{"id": "s", "plugin_id": "debug", "tool_id": "sleep", "params": {"ms": %d}}],
         "edges": [], "entry_nodes": ["s"], "output_nodes": ["s"]}""".formatted(id, id, ms);
  }

  private PipelineRegistry registry() {
    return PipelineRegistry.of(TOOLS, List.of(PipelineJson.read(sleep("builtin", 1))), Optional.of(dir));
  }

  private List<String> files() throws Exception {
    try (Stream<Path> listing = Files.list(dir)) {
      return listing.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void rescanAddsReplacesKeepsTheLastGoodVersionAndRemoves() throws Exception {
    PipelineRegistry registry = registry();
    List<PipelineRegistry.Change> changes = new ArrayList<>();
    registry.subscribe(initial -> {}, changes::add);

    Files.writeString(dir.resolve("a.json"), sleep("a", 1));
    registry.rescanDirectory();
    assertEquals(1, registry.entry("a").orElseThrow().version());
    assertEquals(PipelineRegistry.Source.FILE, registry.entry("a").orElseThrow().source());

    registry.rescanDirectory();
    assertEquals(1, changes.size(), "an unchanged file is not reloaded");

    Files.writeString(dir.resolve("a.json"), sleep("a", 2));
    registry.rescanDirectory();
    assertEquals(2, registry.entry("a").orElseThrow().version());

    Files.writeString(dir.resolve("a.json"), "{\"id\": \"a\",");
    registry.rescanDirectory();
    assertEquals(2, registry.entry("a").orElseThrow().version(), "the previous version stays");
    assertTrue(registry.fileErrors().get("a.json").get(0).startsWith("malformed JSON"), registry.fileErrors().toString());

    Files.delete(dir.resolve("a.json"));
    registry.rescanDirectory();
    assertTrue(registry.entry("a").isEmpty());
    assertEquals(Optional.empty(), Optional.ofNullable(registry.fileErrors().get("a.json")));
    assertEquals(3, changes.size());
  }

  @Test
  void aFileThatChangesItsIdMovesThePipeline() throws Exception {
    PipelineRegistry registry = registry();
    Files.writeString(dir.resolve("x.json"), sleep("old", 1));
    registry.rescanDirectory();
    Files.writeString(dir.resolve("x.json"), sleep("new", 1));
    registry.rescanDirectory();
    assertTrue(registry.entry("old").isEmpty());
    assertEquals(1, registry.entry("new").orElseThrow().version());
  }

  @Test
  void clashesAreReportedAndChangeNothing() throws Exception {
    PipelineRegistry registry = registry();
    Files.writeString(dir.resolve("one.json"), sleep("same", 1));
    Files.writeString(dir.resolve("two.json"), sleep("same", 2));
    Files.writeString(dir.resolve("three.json"), sleep("builtin", 3));
    registry.rescanDirectory();
    assertEquals(1, registry.entry("same").orElseThrow().version());
    assertEquals(List.of("duplicate pipeline id 'same' (already defined in one.json)"), registry.fileErrors().get("two.json"));
    assertEquals(List.of("pipeline id 'builtin' is built in and cannot be replaced"), registry.fileErrors().get("three.json"));
    assertEquals(PipelineRegistry.Source.BUILTIN, registry.entry("builtin").orElseThrow().source());
  }

  @Test
  void anOversizedFileIsNotReadAndKeepsItsPipeline() throws Exception {
    PipelineRegistry registry = registry();
    Files.writeString(dir.resolve("big.json"), sleep("big", 1));
    registry.rescanDirectory();
    Files.writeString(dir.resolve("big.json"), sleep("big", 1) + " ".repeat((int) PipelineRegistry.MAX_FILE_BYTES));
    registry.rescanDirectory();
    assertEquals(1, registry.entry("big").orElseThrow().version());
    assertTrue(registry.fileErrors().containsKey("big.json"));
  }

  @Test
  void theApiWritesFilesTheRescanRecognises() throws Exception {
    PipelineRegistry registry = registry();
    Files.writeString(dir.resolve("taken.json"), sleep("other", 1));
    registry.rescanDirectory();

    PipelineRegistry.Entry created = registry.create(PipelineJson.read(sleep("taken", 5)));
    assertEquals("taken-2.json", created.file().orElseThrow().getFileName().toString(), "taken.json holds another pipeline");
    registry.rescanDirectory();
    assertEquals(1, registry.entry("taken").orElseThrow().version(), "its own write is not a new version");

    var replaced = registry.put("taken", PipelineJson.read(sleep("taken", 6)));
    assertFalse(replaced.getValue());
    assertEquals(2, replaced.getKey().version());
    assertEquals(6, PipelineJson.read(Files.readString(dir.resolve("taken-2.json"))).nodes().get(0).params().get("ms").asInt());
    assertThrows(PipelineConflictException.class, () -> registry.delete("builtin"));
    registry.delete("taken");
    assertEquals(List.of("taken.json"), files());
    assertThrows(UnknownPipelineException.class, () -> registry.delete("taken"));
  }
}
