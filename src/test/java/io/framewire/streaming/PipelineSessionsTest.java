package io.framewire.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.engine.DagPipelineService;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import io.framewire.pipeline.ToolRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The server's {@link SessionPipelines}, over the engine: a session's pipeline runs on tools of its
 * own, a tool's failure reaches the client in its words (through the frame loop's one mapping),
 * timings come out of the result, and closing closes the tools.
 */
class PipelineSessionsTest {

  /** Plugin {@code p}: {@code count} (stateful, counts its session's frames), {@code fail} (always throws). */
  static final class Plugin implements ToolPlugin {
    final AtomicInteger open = new AtomicInteger();

    @Override
    public String id() {
      return "p";
    }

    @Override
    public Set<String> toolIds() {
      return Set.of("count", "fail");
    }

    @Override
    public boolean isStateful(String toolId) {
      return toolId.equals("count");
    }

    @Override
    public Tool create(String toolId, JsonNode params) {
      if (toolId.equals("fail")) {
        return input -> {
          throw new RuntimeException(new java.io.IOException("disk gone"));
        };
      }
      open.incrementAndGet();
      long[] n = {0};
      return new Tool() {
        @Override
        public Map<String, Object> apply(Map<String, Object> input) {
          return Map.of("count", ++n[0]);
        }

        @Override
        public void close() {
          open.decrementAndGet();
        }
      };
    }
  }

  static String pipeline(String id, String tool) {
    return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"nodes\":[{\"id\":\"n\",\"plugin_id\":\"p\",\"tool_id\":\""
        + tool + "\"}],\"edges\":[],\"entry_nodes\":[\"n\"],\"output_nodes\":[\"n\"]}";
  }

  final Plugin plugin = new Plugin();
  final ToolRegistry tools = ToolRegistry.of(plugin);
  final PipelineSessions sessions = new PipelineSessions(new DagPipelineService(
      PipelineRegistry.of(tools, List.of(PipelineJson.read(pipeline("count", "count")),
          PipelineJson.read(pipeline("fail", "fail")))), tools, Runnable::run));

  @Test
  void eachOpenedSessionHasToolsOfItsOwnUntilClosed() {
    int probes = plugin.open.get(); // validation's probe instances, if any are still counted
    assertTrue(sessions.exists("count"));
    assertFalse(sessions.exists("nope"));
    SessionPipeline a = sessions.open("count", false);
    SessionPipeline b = sessions.open("count", false);
    assertEquals(probes + 2, plugin.open.get());
    assertEquals(Map.of("count", 1L), a.run(0, new byte[0]).toCompletableFuture().join());
    assertEquals(Map.of("count", 2L), a.run(1, new byte[0]).toCompletableFuture().join());
    assertEquals(Map.of("count", 1L), b.run(0, new byte[0]).toCompletableFuture().join());
    assertNull(a.takeTimings(a.run(2, new byte[0]).toCompletableFuture().join()));
    a.close();
    a.close(); // idempotent
    b.close();
    assertEquals(probes, plugin.open.get());
  }

  @Test
  void aTimedSessionsResultGivesUpItsTimings() {
    SessionPipeline timed = sessions.open("count", true);
    Map<String, Object> result = timed.run(0, new byte[0]).toCompletableFuture().join();
    Map<String, Double> timings = timed.takeTimings(result);
    assertTrue(timings.containsKey("n") && timings.containsKey("total"), timings.toString());
    assertEquals(Map.of("count", 1L), result, "the timings are taken out of the result");
    timed.close();
  }

  @Test
  void aToolsFailureReachesTheStreamAsPipelineFailureInTheClientsWords() {
    SessionPipeline failing = sessions.open("fail", false);
    CompletionException failed = assertThrows(CompletionException.class,
        () -> failing.run(0, new byte[0]).toCompletableFuture().join());
    // The run stage answers what the engine reported, through its one mapping of failures.
    assertEquals(StreamError.pipelineFailure("node 'n' failed: disk gone"),
        RunPipelineFlow.toStreamError(0, failed, Duration.ofSeconds(1)));
    failing.close();
  }

  @Test
  void aPipelineGoneBeforeItsSessionOpenedIsInvalidPipeline() {
    StreamFailure gone = assertThrows(StreamFailure.class, () -> sessions.open("nope", false));
    assertEquals(StreamError.unknownPipeline("nope"), gone.error());
  }
}
