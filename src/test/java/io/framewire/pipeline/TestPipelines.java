package io.framewire.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Builders and helpers shared by the pipeline tests. */
public final class TestPipelines {

  public static final ObjectMapper JSON = new ObjectMapper();

  private TestPipelines() {}

  public static PipelineDefinition pipeline(
      String id,
      List<NodeDefinition> nodes,
      List<EdgeDefinition> edges,
      List<String> entryNodes,
      List<String> outputNodes) {
    return new PipelineDefinition(id, "Pipeline " + id, null, nodes, edges, entryNodes, outputNodes);
  }

  public static NodeDefinition node(String id, String pluginId, String toolId) {
    return new NodeDefinition(id, pluginId, toolId);
  }

  public static NodeDefinition node(String id, String pluginId, String toolId, String paramsJson) {
    try {
      return new NodeDefinition(id, pluginId, toolId, JSON.readTree(paramsJson));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static EdgeDefinition edge(String from, String to) {
    return new EdgeDefinition(from, to);
  }

  public static <T> T await(CompletionStage<T> stage) throws Exception {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    } catch (TimeoutException e) {
      throw new AssertionError("pipeline run did not complete within 10 s", e);
    }
  }
}
