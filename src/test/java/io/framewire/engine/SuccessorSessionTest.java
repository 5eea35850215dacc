package io.framewire.engine;

import static io.framewire.pipeline.TestPipelines.await;
import static io.framewire.pipeline.TestPipelines.node;
import static io.framewire.pipeline.TestPipelines.pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.AsyncTool;
import io.framewire.api.Tool;
import io.framewire.pipeline.FakePlugin;
import io.framewire.pipeline.NodeDefinition;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.pipeline.store.PipelineRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link DagPipelineService#openSuccessor}: a session moved to its pipeline's new version keeps the
 * state of the stateful nodes that kept their id, plugin and tool ({@code Tool.continueFrom}); the
 * others start afresh; the old session closes once the transfer is over, and stays open if the new
 * version cannot be opened.
 */
class SuccessorSessionTest {

  /** A stateful frame counter; output {@code {key: count, key_label: label}}; continueFrom copies the count. */
  final class Counter implements Tool {
    final String key;
    final String label;
    long count;

    Counter(JsonNode params) {
      key = params.path("key").asText();
      label = params.path("label").asText("");
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> input) {
      count++;
      return Map.of(key, count, key + "_label", label);
    }

    @Override
    public void continueFrom(Tool previous) {
      continued.add(key);
      transferGate.run();
      if (failContinue.get()) {
        throw new IllegalStateException("cannot continue " + key);
      }
      count = ((Counter) previous).count;
    }

    @Override
    public void close() {
      closed.add(key + "@" + count);
    }
  }

  final List<String> continued = new CopyOnWriteArrayList<>();
  final List<String> closed = new CopyOnWriteArrayList<>();
  final AtomicBoolean failCreate = new AtomicBoolean();
  final AtomicBoolean failContinue = new AtomicBoolean();
  volatile Runnable transferGate = () -> {};
  final AtomicReference<CompletableFuture<Map<String, Object>>> held = new AtomicReference<>();

  final FakePlugin plugin = new FakePlugin("state")
      .statefulTool("count", params -> {
        if (failCreate.get()) {
          throw new IllegalArgumentException("no counter today");
        }
        return new Counter(params);
      })
      .statefulTool("count2", Counter::new)
      .tool("held", (AsyncTool) input -> held.get());
  final ToolRegistry tools = ToolRegistry.of(plugin);
  final PipelineRegistry registry = PipelineRegistry.of(tools, List.of());
  final DagPipelineService service = new DagPipelineService(registry, tools, Runnable::run);

  static NodeDefinition counter(String id, String tool, String key, String label) {
    return node(id, "state", tool, "{\"key\":\"" + key + "\",\"label\":\"" + label + "\"}");
  }

  static PipelineDefinition counters(NodeDefinition... nodes) {
    List<NodeDefinition> list = List.of(nodes);
    List<String> ids = list.stream().map(NodeDefinition::id).toList();
    return pipeline("p", list, List.of(), ids, ids);
  }

  Map<String, Object> run(SessionTools session) throws Exception {
    return await(service.runPipeline(session, Map.of("frame_index", 0L)));
  }

  @Test
  void theSuccessorContinuesTheNodesThatKeptTheirIdPluginAndToolAndTheRestStartAfresh() throws Exception {
    registry.create(counters(counter("a", "count", "a", "x"), counter("b", "count", "b", ""),
        counter("c", "count", "c", "")));
    SessionTools old = service.openSession("p");
    for (int i = 0; i < 3; i++) {
      run(old);
    }
    assertTrue(service.isLatest(old));
    closed.clear(); // the validation probes

    // a: params changed; b: another tool under the same id; c: gone; d: new.
    registry.put("p", counters(counter("a", "count", "a", "y"), counter("b", "count2", "b", ""),
        counter("d", "count", "d", "")));
    assertFalse(service.isLatest(old));
    assertEquals(2, service.currentVersion("p"));
    closed.clear();
    SessionTools next = service.openSuccessor(old);

    assertEquals(2, next.version());
    assertTrue(service.isLatest(next));
    assertEquals(List.of("a"), continued, "only the node with the same id, plugin and tool");
    assertTrue(old.isClosed());
    assertEquals(List.of("a@3", "b@3", "c@3"), closed, "the old session's tools closed after the transfer");
    assertEquals(Map.of("a", 4L, "a_label", "y", "b", 1L, "b_label", "", "d", 1L, "d_label", ""), run(next),
        "a counts on with its new params; b and d start afresh");
    assertEquals(3, service.openStatefulTools());
    next.close();
    assertEquals(0, service.openStatefulTools());
    assertEquals(0, service.retiredVersionsInUse(), "version 1 closed with its last session");
  }

  @Test
  void twoSessionsOfOnePipelineEachContinueTheirOwnState() throws Exception {
    registry.create(counters(counter("a", "count", "a", "x")));
    SessionTools one = service.openSession("p");
    SessionTools two = service.openSession("p");
    run(one);
    for (int i = 0; i < 4; i++) {
      run(two);
    }
    registry.put("p", counters(counter("a", "count", "a", "y")));
    SessionTools oneNext = service.openSuccessor(one);
    SessionTools twoNext = service.openSuccessor(two);
    assertEquals(Map.of("a", 2L, "a_label", "y"), run(oneNext));
    assertEquals(Map.of("a", 5L, "a_label", "y"), run(twoNext));
    oneNext.close();
    twoNext.close();
    assertEquals(0, service.openStatefulTools());
  }

  @Test
  void aVersionThatFailsToOpenLeavesTheOldSessionRunning() throws Exception {
    registry.create(counters(counter("a", "count", "a", "x")));
    SessionTools old = service.openSession("p");
    run(old);
    registry.put("p", counters(counter("a", "count", "a", "y"), counter("z", "count", "z", "")));
    failCreate.set(true); // after validation: the version exists, its tools cannot be made
    var failure = assertThrows(IllegalArgumentException.class, () -> service.openSuccessor(old));
    assertEquals("no counter today", failure.getMessage());
    assertFalse(old.isClosed());
    assertEquals(Map.of("a", 2L, "a_label", "x"), run(old), "the old version goes on, state intact");

    failCreate.set(false);
    failContinue.set(true);
    var refused = assertThrows(IllegalStateException.class, () -> service.openSuccessor(old));
    assertEquals("cannot continue a", refused.getMessage());
    assertFalse(old.isClosed());
    assertEquals(List.of("a@0", "z@0"), closed.subList(closed.size() - 2, closed.size()),
        "the half-made session's tools are closed");
    assertEquals(1, service.openStatefulTools(), "only the old session's tool is open");
    assertEquals(Map.of("a", 3L, "a_label", "x"), run(old));
    old.close();
  }

  @Test
  void aSuccessorIsRefusedWhileARunIsInsideTheOldToolsOrAfterItClosed() throws Exception {
    registry.create(pipeline("p", List.of(node("h", "state", "held"), counter("a", "count", "a", "")),
        List.of(), List.of("h", "a"), List.of("a")));
    SessionTools old = service.openSession("p");
    held.set(new CompletableFuture<>());
    var inFlight = service.runPipeline(old, Map.of("frame_index", 0L));
    registry.put("p", counters(counter("a", "count", "a", "")));

    var busy = assertThrows(IllegalStateException.class, () -> service.openSuccessor(old));
    assertEquals("session for pipeline 'p' is running a frame: continue it between frames", busy.getMessage());
    assertEquals(List.of(), continued);
    held.get().complete(Map.of());
    await(inFlight);
    SessionTools next = service.openSuccessor(old);
    assertEquals(Map.of("a", 2L, "a_label", ""), run(next));

    var closedOld = assertThrows(IllegalStateException.class, () -> service.openSuccessor(old));
    assertEquals("session for pipeline 'p' is closed", closedOld.getMessage());
    next.close();
  }

  @Test
  void aCloseDuringTheTransferWaitsForItBeforeClosingTheOldTools() throws Exception {
    registry.create(counters(counter("a", "count", "a", "")));
    SessionTools old = service.openSession("p");
    run(old);
    registry.put("p", counters(counter("a", "count", "a", "")));
    closed.clear();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    transferGate = () -> {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    CompletableFuture<SessionTools> transfer = CompletableFuture.supplyAsync(() -> service.openSuccessor(old));
    assertTrue(entered.await(10, TimeUnit.SECONDS));
    old.close(); // the connection ended meanwhile
    assertEquals(List.of(), closed, "not under continueFrom");
    release.countDown();
    SessionTools next = transfer.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("a@1"), closed);
    assertEquals(Map.of("a", 2L, "a_label", ""), run(next));
    next.close();
  }

  @Test
  void aDeletedPipelineHasNoSuccessor() throws Exception {
    registry.create(counters(counter("a", "count", "a", "")));
    SessionTools old = service.openSession("p");
    registry.delete("p");
    assertFalse(service.isLatest(old));
    assertEquals(0, service.currentVersion("p"));
    assertThrows(UnknownPipelineException.class, () -> service.openSuccessor(old));
    assertEquals(Map.of("a", 1L, "a_label", ""), run(old), "it keeps running its version");

    registry.create(counters(counter("a", "count", "a", "")));
    assertEquals(1, service.currentVersion("p"), "versions start again after a delete");
    assertFalse(service.isLatest(old), "the same number, another version");
    SessionTools next = service.openSuccessor(old);
    assertEquals(Map.of("a", 2L, "a_label", ""), run(next));
    next.close();
  }
}
