package io.framewire.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.cluster.ClusterNodes.Node;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two cluster nodes as separate actor systems in this JVM (Artery TCP on 127.0.0.1): a pipeline
 * created, replaced or deleted on one is the same on the other, versions included, and a deletion
 * does not come back.
 */
class PipelineReplicationTest {

  private static PipelineDefinition sleep(String id, int ms) {
    return PipelineJson.read("""
        {"id": "%s", "name": "%s", "nodes": [{"id": "s", "plugin_id": "debug", "tool_id": "sleep", "params": {"ms": %d}}],
         "edges": [], "entry_nodes": ["s"], "output_nodes": ["s"]}""".formatted(id, id, ms));
  }

  private static PipelineRegistry pipelines(Node node) {
    return node.server().dag().registry();
  }

  private static void awaitVersion(Node node, String id, int version) {
    TestServer.await(node.name() + " has " + id + " version " + version,
        () -> pipelines(node).entry(id).map(e -> e.version() == version).orElse(false));
  }

  @Test
  void createdReplacedAndDeletedOnOneNodeIsTheSameOnTheOther() throws Exception {
    try (ClusterNodes cluster = new ClusterNodes(0)) {
      Node a = cluster.front();
      Node b = cluster.start("b", "front", ClusterNodes.freePort(), Map.of());
      assertTrue(pipelines(a).isShared() && pipelines(b).isShared());
      TestServer.await("both nodes are up", () -> ((java.util.List<?>) a.cluster().health().get("members")).stream()
          .filter(m -> "Up".equals(((Map<?, ?>) m).get("status"))).count() == 2);

      pipelines(a).create(sleep("shared", 1));
      awaitVersion(b, "shared", 1);
      assertEquals(sleep("shared", 1), pipelines(b).get("shared").orElseThrow());
      try (WsTestClient client = WsTestClient.stream(b.server().port(), "shared")) {
        client.sendBinary(TestJpegs.grayscale(32, 24, 100));
        JsonNode answer = client.next();
        assertEquals(1, answer.at("/result/slept_ms").asInt(), "runs on b: " + answer);
      }

      pipelines(b).put("shared", sleep("shared", 2));
      awaitVersion(a, "shared", 2);
      assertEquals(sleep("shared", 2), pipelines(a).get("shared").orElseThrow());
      assertEquals(2, a.server().dag().currentVersion("shared"), "the engine runs the new version");

      pipelines(a).delete("shared");
      TestServer.await("b drops the deleted pipeline", () -> pipelines(b).get("shared").isEmpty());
      // A later change crossing the cluster: by then the deletion has settled on both nodes.
      pipelines(b).create(sleep("later", 1));
      awaitVersion(a, "later", 1);
      assertFalse(pipelines(a).get("shared").isPresent(), "not resurrected on a");
      assertFalse(pipelines(b).get("shared").isPresent(), "not resurrected on b");

      pipelines(b).create(sleep("shared", 3));
      awaitVersion(a, "shared", 3);
      assertEquals(3, pipelines(b).entry("shared").orElseThrow().version(), "versions continue after the deletion");
    }
  }
}
