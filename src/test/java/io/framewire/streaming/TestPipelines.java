package io.framewire.streaming;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.pipeline.DagPipelineService;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.PipelineRegistry;
import io.framewire.pipeline.VideoFilePipelineService;
import io.framewire.tools.Tool;
import io.framewire.tools.ToolPlugin;
import io.framewire.tools.ToolRegistry;
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
 * (a model file gone missing after startup).
 */
final class TestPipelines {

  final StatefulPlugin plugin = new StatefulPlugin();
  final DagPipelineService dag;
  final VideoFilePipelineService service;

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
        {"id":"stateful","name":"stateful","nodes":[{"id":"n","plugin_id":"state","tool_id":"counter"}],
         "edges":[],"entry_nodes":["n"],"output_nodes":["n"]}"""));
    dag = new DagPipelineService(PipelineRegistry.of(tools, pipelines), tools, Runnable::run);
    service = new VideoFilePipelineService(dag);
  }

  /** Plugin {@code state}: tool {@code counter} counts the frames of its session; {@code fragile} may fail to open. */
  static final class StatefulPlugin implements ToolPlugin {
    final java.util.concurrent.atomic.AtomicBoolean breakFragile = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public String id() {
      return "state";
    }

    @Override
    public Set<String> toolIds() {
      return Set.of("counter", "fragile");
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
      long[] count = new long[1];
      return input -> Map.of("count", ++count[0]);
    }
  }
}
