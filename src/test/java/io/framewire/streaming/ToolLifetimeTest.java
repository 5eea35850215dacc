package io.framewire.streaming;

import io.framewire.settings.FramewireSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.framewire.server.FramewireServer;
import io.framewire.metrics.StreamMetrics;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import io.framewire.engine.DagPipelineService;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.engine.SessionTools;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.WsTestClient;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import io.framewire.pipeline.ToolRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.junit.jupiter.api.Test;

/**
 * A session's tools are closed only after its run in flight has settled: the timeout/close race. The
 * test tool is stateful (one instance per session), blocks until the test releases it, and records
 * whether it was ever closed while a frame was inside it (what would be a use-after-free for a native
 * model session).
 */
class ToolLifetimeTest {

  /** Plugin {@code held}, tool {@code frame}: enters, waits for {@link #release}, leaves. */
  static final class HeldPlugin implements ToolPlugin {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    final AtomicInteger inside = new AtomicInteger();
    final AtomicBoolean closedWhileInside = new AtomicBoolean();

    @Override
    public String id() {
      return "held";
    }

    @Override
    public Set<String> toolIds() {
      return Set.of("frame");
    }

    @Override
    public boolean isStateful(String toolId) {
      return true;
    }

    @Override
    public Tool create(String toolId, com.fasterxml.jackson.databind.JsonNode params) {
      // Validation creates and closes a probe instance too: only the instance that ran a frame counts.
      return new Tool() {
        private volatile boolean ran;

        @Override
        public Map<String, Object> apply(Map<String, Object> input) throws Exception {
          ran = true;
          inside.incrementAndGet();
          try {
            entered.countDown();
            assertTrue(release.await(30, TimeUnit.SECONDS));
            return Map.of("done", true);
          } finally {
            inside.decrementAndGet();
          }
        }

        @Override
        public void close() {
          if (!ran) {
            return;
          }
          if (inside.get() > 0) {
            closedWhileInside.set(true);
          }
          closed.countDown();
        }
      };
    }
  }

  static final String PIPELINE = """
      {"id":"held","name":"held","nodes":[{"id":"n","plugin_id":"held","tool_id":"frame"}],
       "edges":[],"entry_nodes":["n"],"output_nodes":["n"]}""";

  @Test
  void closing_a_session_during_its_run_defers_closing_its_tools_until_the_run_settles() throws Exception {
    HeldPlugin plugin = new HeldPlugin();
    ToolRegistry tools = ToolRegistry.of(plugin);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      DagPipelineService dag = new DagPipelineService(
          PipelineRegistry.of(tools, List.of(PipelineJson.read(PIPELINE))), tools, pool);
      SessionTools session = dag.openSession("held");
      CompletableFuture<Map<String, Object>> run =
          dag.runPipeline(session, Map.of("frame_index", 0L)).toCompletableFuture();
      assertTrue(plugin.entered.await(20, TimeUnit.SECONDS));

      session.close();
      assertTrue(session.isClosed());
      assertFalse(session.whenToolsClosed().toCompletableFuture().isDone(), "tools closed under a running frame");
      assertEquals(1, plugin.closed.getCount());
      assertTrue(dag.runPipeline(session, Map.of("frame_index", 1L)).toCompletableFuture().isCompletedExceptionally(),
          "a closed session started another run");

      plugin.release.countDown();
      assertEquals(Map.of("done", true), run.get(20, TimeUnit.SECONDS));
      session.whenToolsClosed().toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertTrue(plugin.closed.await(0, TimeUnit.SECONDS));
      assertFalse(plugin.closedWhileInside.get());
      assertEquals(0, dag.openStatefulTools());
    } finally {
      plugin.release.countDown();
      pool.shutdownNow();
    }
  }

  /**
   * Through the server: the frame times out (STREAM_FRAME_TIMEOUT_MS), the client is answered
   * pipeline_failure and the session ends while the tool still runs; its tool is closed only once
   * the frame leaves it.
   */
  @Test
  void a_frame_timeout_ends_the_session_but_its_tool_closes_only_after_the_frame_left_it() throws Exception {
    HeldPlugin plugin = new HeldPlugin();
    ToolRegistry tools = ToolRegistry.of(plugin);
    Config config = ConfigFactory.parseMap(Map.of(
            "framewire.http.host", "127.0.0.1", "framewire.http.port", 0, "framewire.stream.frame-timeout-ms", 200))
        .withFallback(ConfigFactory.load());
    FramewireServer server = FramewireServer.start(FramewireSettings.from(config), tools,
        PipelineRegistry.of(tools, List.of(PipelineJson.read(PIPELINE))));
    try (WsTestClient client = WsTestClient.stream(server.port(), "held")) {
      client.sendBinary(TestJpegs.solid(32, 32, java.awt.Color.GRAY));
      assertTrue(plugin.entered.await(20, TimeUnit.SECONDS));
      JsonNode answer = client.next();
      assertEquals("pipeline_failure", answer.path("error").asText(), answer.toString());
      assertTrue(answer.path("detail").asText().contains("STREAM_FRAME_TIMEOUT_MS"), answer.toString());
      client.awaitClose();
      // The session actor has stopped (its PostStop asked its tools to close)...
      io.framewire.testing.TestServer.await("the session ended", () -> activeSessions(server) == 0);
      // ...but the frame is still inside the tool, so the tool is still open.
      assertEquals(1, plugin.inside.get());
      assertEquals(1, plugin.closed.getCount(), "tool closed while the timed-out frame was still inside it");

      plugin.release.countDown();
      assertTrue(plugin.closed.await(20, TimeUnit.SECONDS), "tool never closed after its run settled");
      assertFalse(plugin.closedWhileInside.get());
      // The count drops just after the tool's close() returns: wait for it rather than race it.
      io.framewire.testing.TestServer.await("stateful tools counted closed",
          () -> server.dag().openStatefulTools() == 0);
    } finally {
      plugin.release.countDown();
      server.close();
    }
  }

  /**
   * The session actor is the tools' one owner: it opened them, and once its connection has ended it
   * asks them to close; they close only when the last run has settled.
   */
  @Test
  void theSessionActorClosesItsToolsAfterTheConnectionEndedAndTheLastRunSettled() throws Exception {
    HeldPlugin plugin = new HeldPlugin();
    ToolRegistry tools = ToolRegistry.of(plugin);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    ActorTestKit kit = ActorTestKit.create();
    try {
      DagPipelineService dag = new DagPipelineService(
          PipelineRegistry.of(tools, List.of(PipelineJson.read(PIPELINE))), tools, pool);
      CompletableFuture<FrameRunner> ready = new CompletableFuture<>();
      ActorRef<SessionActor.Command> session = kit.spawn(SessionActor.create("s-1", "held", false,
          new PipelineSessions(dag), pool, ready,
          new BackpressurePolicy(0.1, 0.3, 10), new StreamMetrics(false), Duration.ofSeconds(10)));
      FrameRunner runner = ready.get(20, TimeUnit.SECONDS);
      assertEquals(1, dag.openStatefulTools());
      CompletableFuture<Map<String, Object>> run =
          runner.run(0, TestJpegs.solid(16, 16, java.awt.Color.GRAY)).toCompletableFuture();
      assertTrue(plugin.entered.await(20, TimeUnit.SECONDS));

      TestProbe<Answer> control = kit.createTestProbe(Answer.class);
      session.tell(new SessionActor.StreamStarted(control.ref(), new CompletableFuture<>()));
      session.tell(SessionActor.ConnectionClosed.INSTANCE);
      control.expectTerminated(session);
      assertEquals(1, plugin.closed.getCount(), "tool closed while a frame was inside it");
      assertEquals(1, dag.openStatefulTools());

      plugin.release.countDown();
      assertEquals(Map.of("done", true), run.get(20, TimeUnit.SECONDS));
      assertTrue(plugin.closed.await(20, TimeUnit.SECONDS), "tool never closed after its last run settled");
      assertFalse(plugin.closedWhileInside.get());
      io.framewire.testing.TestServer.await("stateful tools counted closed", () -> dag.openStatefulTools() == 0);
    } finally {
      plugin.release.countDown();
      kit.shutdownTestKit();
      pool.shutdownNow();
    }
  }

  static int activeSessions(FramewireServer server) {
    return AskPattern.<SessionManager.Command, Integer>ask(
            server.sessions(), SessionManager.GetActiveCount::new, Duration.ofSeconds(5), server.system().scheduler())
        .toCompletableFuture().join();
  }
}
