package io.framewire.pipeline.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry on a cluster node: what it publishes, and which of the other nodes' changes it applies. */
class SharedRegistryTest {

  private static final ToolRegistry TOOLS = ToolRegistry.fromClasspath();

  @TempDir Path dir;

  private static PipelineDefinition sleep(String id, int ms) {
    return PipelineJson.read("""
        {"id": "%s", "name": "Sleep %s", "nodes": [{"id": "s", "plugin_id": "debug", "tool_id": "sleep", "params": {"ms": %d}}],
         "edges": [], "entry_nodes": ["s"], "output_nodes": ["s"]}""".formatted(id, id, ms));
  }

  private static int ms(PipelineRegistry registry, String id) {
    return registry.get(id).orElseThrow().nodes().get(0).params().get("ms").asInt();
  }

  private static PipelineRegistry shared(List<SharedPipeline> published) {
    PipelineRegistry registry = PipelineRegistry.of(TOOLS, List.of(sleep("builtin", 1)));
    registry.share(published::add);
    return registry;
  }

  @Test
  void apiChangesArePublishedInOrderAndVersionsContinueAfterADeletion() {
    List<SharedPipeline> published = new ArrayList<>();
    PipelineRegistry registry = shared(published);
    assertTrue(registry.isShared());
    registry.create(sleep("p", 1));
    registry.put("p", sleep("p", 2));
    registry.delete("p");
    registry.create(sleep("p", 3));
    assertEquals(List.of(new SharedPipeline("p", 1, sleep("p", 1)), new SharedPipeline("p", 2, sleep("p", 2)),
        new SharedPipeline("p", 2, null), new SharedPipeline("p", 3, sleep("p", 3))), published);
    assertEquals(3, registry.entry("p").orElseThrow().version(), "after version 2 was deleted");
  }

  @Test
  void anUnsharedRegistryStartsVersionsAgainAfterADeletion() {
    PipelineRegistry registry = PipelineRegistry.of(TOOLS, List.of());
    assertFalse(registry.isShared());
    registry.create(sleep("p", 1));
    registry.put("p", sleep("p", 2));
    registry.delete("p");
    assertEquals(1, registry.create(sleep("p", 3)).version());
  }

  @Test
  void anotherNodesVersionsAreAppliedWithTheirNumbersAndToldToListeners() {
    List<SharedPipeline> published = new ArrayList<>();
    PipelineRegistry registry = shared(published);
    List<PipelineRegistry.Change> changes = new ArrayList<>();
    registry.subscribe(initial -> {}, changes::add);

    assertTrue(registry.applyShared(new SharedPipeline("p", 4, sleep("p", 4))));
    assertEquals(4, registry.entry("p").orElseThrow().version());
    assertEquals(PipelineRegistry.Origin.MEMORY, registry.entry("p").orElseThrow().origin());
    assertFalse(registry.applyShared(new SharedPipeline("p", 4, sleep("p", 4))), "the version it has");
    assertFalse(registry.applyShared(new SharedPipeline("p", 3, sleep("p", 3))), "an older version");
    assertEquals(4, ms(registry, "p"));
    assertTrue(registry.applyShared(new SharedPipeline("p", 4, sleep("p", 40))),
        "the same version written elsewhere at once: the cluster's winner replaces this node's");
    assertEquals(40, ms(registry, "p"));
    assertEquals(List.of(), published, "nothing applied from the cluster is published back");
    assertEquals(2, changes.size());
    assertEquals(4, changes.get(1).previous().version());
    assertEquals(4, changes.get(1).current().version());

    registry.put("p", sleep("p", 5));
    assertEquals(5, registry.entry("p").orElseThrow().version());
  }

  @Test
  void aDeletionRemovesItsVersionAndOlderOnesAndIsNotUndoneByAStaleCreation() {
    PipelineRegistry registry = shared(new ArrayList<>());
    registry.applyShared(new SharedPipeline("p", 2, sleep("p", 2)));
    assertFalse(registry.applyShared(new SharedPipeline("p", 1, null)), "deletes version 1, not 2");
    assertTrue(registry.get("p").isPresent());
    assertTrue(registry.applyShared(new SharedPipeline("p", 2, null)));
    assertTrue(registry.get("p").isEmpty());
    assertFalse(registry.applyShared(new SharedPipeline("p", 2, sleep("p", 2))), "not resurrected");
    assertTrue(registry.get("p").isEmpty());
    assertEquals(3, registry.create(sleep("p", 3)).version());

    // A deletion seen before the pipeline itself (a node joining late) still counts.
    assertFalse(registry.applyShared(new SharedPipeline("q", 5, null)));
    assertFalse(registry.applyShared(new SharedPipeline("q", 5, sleep("q", 5))));
    assertTrue(registry.applyShared(new SharedPipeline("q", 6, sleep("q", 6))));
  }

  @Test
  void builtInsAndDefinitionsInvalidHereAreLeftAlone() {
    PipelineRegistry registry = shared(new ArrayList<>());
    assertFalse(registry.applyShared(new SharedPipeline("builtin", 9, sleep("builtin", 9))));
    assertFalse(registry.applyShared(new SharedPipeline("builtin", 9, null)));
    assertEquals(1, ms(registry, "builtin"));
    PipelineDefinition missingPlugin = PipelineJson.read("""
        {"id": "gpu", "name": "gpu", "nodes": [{"id": "d", "plugin_id": "absent", "tool_id": "x", "params": {}}],
         "edges": [], "entry_nodes": ["d"], "output_nodes": ["d"]}""");
    assertFalse(registry.applyShared(new SharedPipeline("gpu", 1, missingPlugin)));
    assertTrue(registry.get("gpu").isEmpty());
  }

  @Test
  void withADirectoryAnotherNodesVersionIsWrittenThereAndItsDeletionRemovesTheFile() throws Exception {
    PipelineRegistry registry = PipelineRegistry.of(TOOLS, List.of(), Optional.of(dir));
    registry.share(change -> {});
    registry.applyShared(new SharedPipeline("p", 3, sleep("p", 3)));
    PipelineRegistry.Entry entry = registry.entry("p").orElseThrow();
    assertEquals(PipelineRegistry.Origin.FILE, entry.origin());
    assertEquals(sleep("p", 3), PipelineJson.read(Files.readString(dir.resolve("p.json"))));
    registry.rescanDirectory();
    assertEquals(3, registry.entry("p").orElseThrow().version(), "its own write is no change to the watcher");
    registry.applyShared(new SharedPipeline("p", 3, null));
    assertFalse(Files.exists(dir.resolve("p.json")));
  }
}
