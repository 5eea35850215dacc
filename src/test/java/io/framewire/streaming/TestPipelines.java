package io.framewire.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.engine.DagPipelineService;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.video.VideoFilePipelineService;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import io.framewire.pipeline.ToolRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Real pipeline services for actor tests, running tools on the calling thread: the built-in
 * pipelines ({@code echo}) plus {@code stateful}, one node of a stateful tool, so that a test can see
 * a session's tools opened and closed through {@link DagPipelineService#openStatefulTools()}; and
 * {@code fragile}, whose stateful tool cannot be created once {@link StatefulPlugin#breakFragile} is set
 * (a model file gone missing after startup); and {@code slow}, whose stateful tool, once
 * {@link StatefulPlugin#holdSlow} is armed, blocks while being created until the test releases it (a
 * model that takes long to load). {@link #sessions} is what the streaming side sees of them.
 */
final class TestPipelines {

  final StatefulPlugin plugin = new StatefulPlugin();
  final DagPipelineService dag;
  final VideoFilePipelineService service;
  final PipelineSessions sessions;

  TestPipelines() {
    List<ToolPlugin> plugins = new ArrayList<>();
    ServiceLoader.load(ToolPlugin.class).forEach(plugins::add);
    plugins.add(plugin);
    ToolRegistry tools = ToolRegistry.of(plugins);
    List<PipelineDefinition> pipelines = new ArrayList<>(PipelineRegistry.load(tools, Optional.empty()).all());
    pipelines.add(PipelineJson.read("""
        {"id":"fragile","name":"fragile","nodes":[{"id":"n","plugin_id":"state","tool_id":"fragile"}],
         "edges":[],"entry_nodes":["n"],"output_nodes":["n"]}"""));
    pipelines.add(PipelineJson.read("""
        {"id":"slow","name":"slow","nodes":[{"id":"n","plugin_id":"state","tool_id":"slow"}],
         "edges":[],"entry_nodes":["n"],"output_nodes":["n"]}"""));
    pipelines.add(PipelineJson.read("""
        {"id":"stateful","name":"stateful","nodes":[{"id":"n","plugin_id":"state","tool_id":"counter"}],
         "edges":[],"entry_nodes":["n"],"output_nodes":["n"]}"""));
    dag = new DagPipelineService(PipelineRegistry.of(tools, pipelines), tools, Runnable::run);
    service = new VideoFilePipelineService(dag);
    sessions = new PipelineSessions(dag);
  }

  /** Plugin {@code state}: tool {@code counter} counts the frames of its session; {@code fragile} may fail to open. */
  static final class StatefulPlugin implements ToolPlugin {
    final java.util.concurrent.atomic.AtomicBoolean breakFragile = new java.util.concurrent.atomic.AtomicBoolean();
    /** Armed: the next {@code slow} tool blocks in its creation until {@link #releaseSlow} opens. */
    final java.util.concurrent.atomic.AtomicBoolean holdSlow = new java.util.concurrent.atomic.AtomicBoolean();
    final java.util.concurrent.CountDownLatch slowOpening = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch releaseSlow = new java.util.concurrent.CountDownLatch(1);
    /** {@code slow} tools created for a session and not yet closed. */
    final java.util.concurrent.atomic.AtomicInteger slowOpen = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public String id() {
      return "state";
    }

    @Override
    public Set<String> toolIds() {
      return Set.of("counter", "fragile", "slow");
    }

    @Override
    public boolean isStateful(String toolId) {
      return true;
    }

    @Override
    public Tool create(String toolId, JsonNode params) {
      if (toolId.equals("fragile") && breakFragile.get()) {
        throw new IllegalStateException("model file missing");
      }
      if (toolId.equals("slow") && holdSlow.getAndSet(false)) {
        slowOpening.countDown();
        try {
          if (!releaseSlow.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new IllegalStateException("slow tool never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        slowOpen.incrementAndGet();
        return new Tool() {
          @Override
          public Map<String, Object> apply(Map<String, Object> input) {
            return Map.of("slow", true);
          }

          @Override
          public void close() {
            slowOpen.decrementAndGet();
          }
        };
      }
      long[] count = new long[1];
      return input -> Map.of("count", ++count[0]);
    }
  }
}
