package io.framewire.engine;

import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.store.PipelineRegistry;
import static io.framewire.pipeline.TestPipelines.edge;
import static io.framewire.pipeline.TestPipelines.node;
import static io.framewire.pipeline.TestPipelines.pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestJpegs;
import io.framewire.api.AsyncTool;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.api.image.DecodedFrame;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Async tools hold no thread while they wait, and every node of a run sees one shared decoded frame. */
class AsyncToolsTest {

  /** {@code later}: completes when the test completes its future. {@code gray}/{@code colour}: read the frame. */
  static final class Plugin implements ToolPlugin {
    final ConcurrentLinkedQueue<CompletableFuture<Map<String, Object>>> pending = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<DecodedFrame> framesSeen = new ConcurrentLinkedQueue<>();

    @Override
    public String id() {
      return "t";
    }

    @Override
    public Set<String> toolIds() {
      return Set.of("later", "gray", "colour");
    }

    @Override
    public boolean usesColour(String toolId) {
      return toolId.equals("colour");
    }

    @Override
    public Tool create(String toolId, JsonNode params) {
      return switch (toolId) {
        case "later" -> (AsyncTool) input -> {
          CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
          pending.add(result);
          return result;
        };
        case "gray" -> input -> {
          DecodedFrame frame = DecodedFrame.of(input);
          framesSeen.add(frame);
          return Map.of("gray_width", frame.gray().width());
        };
        default -> input -> {
          DecodedFrame frame = DecodedFrame.of(input);
          framesSeen.add(frame);
          return Map.of("red", frame.rgb().at(0, 0, 0));
        };
      };
    }
  }

  final Plugin plugin = new Plugin();
  final AtomicInteger executorUses = new AtomicInteger();
  /** Counts hand-offs and runs them on the caller: an async tool must not cause any. */
  final Executor countingExecutor = command -> {
    executorUses.incrementAndGet();
    command.run();
  };

  private DagPipelineService service(PipelineDefinition definition) {
    ToolRegistry tools = ToolRegistry.of(plugin);
    return new DagPipelineService(PipelineRegistry.of(tools, List.of(definition)), tools, countingExecutor);
  }

  @Test
  void pendingAsyncRunsHoldNoThreadAndEachGetsItsOwnResult() {
    var dag = service(pipeline("a", List.of(node("m", "t", "later")), List.of(), List.of("m"), List.of("m")));
    var first = dag.runPipeline("a", Map.of("frame_index", 1L)).toCompletableFuture();
    var second = dag.runPipeline("a", Map.of("frame_index", 2L)).toCompletableFuture();
    assertEquals(2, plugin.pending.size(), "both runs started their tool at once");
    assertEquals(0, executorUses.get(), "no tool thread was taken while the calls wait");
    assertFalse(first.isDone());

    plugin.pending.poll().complete(Map.of("answer", "for 1"));
    plugin.pending.poll().complete(Map.of("answer", "for 2"));
    assertEquals(Map.of("answer", "for 1"), first.join());
    assertEquals(Map.of("answer", "for 2"), second.join());
  }

  @Test
  void aFailedAsyncCallFailsTheRunNamingTheNode() {
    var dag = service(pipeline("a", List.of(node("model", "t", "later")), List.of(), List.of("model"), List.of("model")));
    var run = dag.runPipeline("a", Map.of()).toCompletableFuture();
    plugin.pending.poll().completeExceptionally(new IllegalStateException("queue full"));
    CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, run::join);
    PipelineFailure failure = (PipelineFailure) e.getCause();
    assertEquals("model", failure.nodeId());
    assertEquals("queue full", failure.getCause().getMessage());
  }

  @Test
  void twoEntryBranchesShareOneDecodeInColour() {
    var dag = service(pipeline("d",
        List.of(node("g", "t", "gray"), node("c", "t", "colour"), node("after", "t", "gray")),
        List.of(edge("g", "after"), edge("c", "after")), List.of("g", "c"), List.of("after", "c")));
    byte[] red = TestJpegs.solid(40, 30, java.awt.Color.RED);
    Map<String, Object> result = dag.runPipeline("d", Map.of("frame_index", 0L, "image_bytes", red))
        .toCompletableFuture().join();
    assertEquals(40, result.get("gray_width"));
    assertTrue((int) result.get("red") > 240, result.toString());
    DecodedFrame frame = plugin.framesSeen.peek();
    assertEquals(3, plugin.framesSeen.size());
    plugin.framesSeen.forEach(seen -> assertSame(frame, seen));
    assertEquals(1, frame.decodes(), "gray and colour from a single colour decode");
    assertFalse(result.containsKey(DecodedFrame.KEY), "the frame is internal: never in a result");
  }
}
