package io.framewire.engine;

import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.store.PipelineRegistry;
import static io.framewire.pipeline.TestPipelines.edge;
import static io.framewire.pipeline.TestPipelines.node;
import static io.framewire.pipeline.TestPipelines.pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import io.framewire.pipeline.ToolRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Non-blocking tools run inline, on the thread that completed their last predecessor; blocking ones on the tool executor. */
class InlineToolsTest {

  /** Reports the name of the thread it ran on, under its node's key; {@code slow} first waits for {@link #release}. */
  static final class ThreadNamePlugin implements ToolPlugin {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public String id() {
      return "where";
    }

    @Override
    public Set<String> toolIds() {
      return Set.of("quick", "slow");
    }

    @Override
    public boolean isBlocking(String toolId) {
      return toolId.equals("slow");
    }

    @Override
    public Tool create(String toolId, JsonNode params) {
      return input -> {
        if (toolId.equals("slow") && !release.await(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never released");
        }
        return Map.of(toolId + "_thread", Thread.currentThread().getName());
      };
    }
  }

  final ExecutorService toolThreads = Executors.newSingleThreadExecutor(r -> new Thread(r, "tool-thread"));

  @AfterEach
  void stop() throws InterruptedException {
    toolThreads.shutdownNow();
    toolThreads.awaitTermination(5, TimeUnit.SECONDS);
  }

  final ThreadNamePlugin plugin = new ThreadNamePlugin();

  private DagPipelineService service(PipelineDefinition definition) {
    ToolRegistry tools = ToolRegistry.of(plugin);
    return new DagPipelineService(PipelineRegistry.of(tools, List.of(definition)), tools, toolThreads);
  }

  @Test
  void aQuickToolRunsOnTheCallersThread() {
    var dag = service(pipeline("q", List.of(node("a", "where", "quick")), List.of(), List.of("a"), List.of("a")));
    Map<String, Object> result = dag.runPipeline("q", Map.of()).toCompletableFuture().join();
    assertEquals(Thread.currentThread().getName(), result.get("quick_thread"));
  }

  @Test
  void aBlockingToolRunsOnTheToolExecutorAndAQuickSuccessorStaysThere() {
    var dag = service(pipeline("s",
        List.of(node("a", "where", "slow"), node("b", "where", "quick")),
        List.of(edge("a", "b")), List.of("a"), List.of("a", "b")));
    var run = dag.runPipeline("s", Map.of()).toCompletableFuture();
    plugin.release.countDown(); // 'a' finishes on the tool thread after the run is wired
    Map<String, Object> result = run.join();
    assertEquals("tool-thread", result.get("slow_thread"));
    assertEquals("tool-thread", result.get("quick_thread"), "no hand-off back for a quick successor");
    assertNotEquals(Thread.currentThread().getName(), result.get("slow_thread"));
  }
}
