package io.framewire.engine;

import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.pipeline.FakePlugin;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.pipeline.store.PipelineRegistry;
import static io.framewire.pipeline.TestPipelines.await;
import static io.framewire.pipeline.TestPipelines.node;
import static io.framewire.pipeline.TestPipelines.pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.framewire.api.Tool;
import io.framewire.pipeline.ToolRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A replaced or deleted pipeline version: open sessions keep running it; its shared tools are
 * closed exactly once, when the last session on it ends, and not before.
 */
class VersionedRuntimesTest {

  private final AtomicInteger created = new AtomicInteger();
  /** The tag of each closed instance: validation probes and shared instances alike. */
  private final List<String> closed = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final FakePlugin plugin = new FakePlugin("t").toolFactory("tagged", params -> {
    created.incrementAndGet();
    String tag = params.path("tag").asText();
    return new Tool() {
      @Override
      public Map<String, Object> apply(Map<String, Object> input) {
        return Map.of("tag", tag);
      }

      @Override
      public void close() {
        closed.add(tag);
      }
    };
  });
  private final ToolRegistry tools = ToolRegistry.of(plugin);

  private PipelineDefinition tagged(String tag) {
    return pipeline("p", List.of(node("n", "t", "tagged", "{\"tag\": \"" + tag + "\"}")), List.of(), List.of("n"), List.of("n"));
  }

  @Test
  void aReplacedVersionServesItsSessionsAndClosesAfterTheLast() throws Exception {
    PipelineRegistry registry = PipelineRegistry.of(tools, List.of());
    DagPipelineService service = new DagPipelineService(registry, tools, Runnable::run);
    registry.create(tagged("v1"));
    SessionTools first = service.openSession("p");
    SessionTools second = service.openSession("p");
    assertEquals(List.of("v1"), closed, "only v1's validation probe");

    registry.put("p", tagged("v2"));
    SessionTools newer = service.openSession("p");
    assertEquals(1, first.version());
    assertEquals(2, newer.version());
    assertEquals("v1", await(service.runPipeline(first, Map.of("frame_index", 0L))).get("tag"));
    assertEquals("v2", await(service.runPipeline(newer, Map.of("frame_index", 0L))).get("tag"));
    assertEquals("v2", await(service.runPipeline("p", Map.of("frame_index", 0L))).get("tag"));

    first.close();
    assertEquals(List.of("v1", "v2"), closed, "v1 is still used by the second session");
    assertEquals(1, service.retiredVersionsInUse());
    second.close();
    assertEquals(List.of("v1", "v2", "v1"), closed, "v1's shared tool closed with its last session");
    assertEquals(0, service.retiredVersionsInUse());

    registry.delete("p");
    assertThrows(UnknownPipelineException.class, () -> service.openSession("p"));
    assertEquals("v2", await(service.runPipeline(newer, Map.of("frame_index", 0L))).get("tag"), "still runs");
    assertEquals(List.of("v1", "v2", "v1"), closed);
    newer.close();
    assertEquals(List.of("v1", "v2", "v1", "v2"), closed);
    service.close();
  }

  @Test
  void aVersionNobodyUsesClosesAtOnce() {
    PipelineRegistry registry = PipelineRegistry.of(tools, List.of());
    DagPipelineService service = new DagPipelineService(registry, tools, Runnable::run);
    registry.create(tagged("v1"));
    service.openSession("p").close(); // creates the shared tool
    registry.put("p", tagged("v2"));
    assertEquals(List.of("v1", "v2", "v1"), closed, "probe v1, probe v2, then the unused v1 at once");
    assertEquals(0, service.retiredVersionsInUse());
  }
}
