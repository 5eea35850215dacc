package io.framewire.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.cluster.ClusterNodes.Node;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.testing.StreamServers;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Two cluster nodes as separate actor systems in this JVM (Artery TCP on 127.0.0.1): a pipeline
 * created, replaced or deleted on one is the same on the other, versions included, a camera on one
 * moves to an edit made on the other on its next frames, and a deletion does not come back.
 */
class PipelineReplicationTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** The next answer with a result (skipping dropped frames). */
  private static JsonNode nextResult(WsTestClient watcher) {
    while (true) {
      JsonNode answer = watcher.next();
      if (answer.has("result")) {
        return answer.get("result");
      }
      assertTrue(answer.has("dropped"), "a result or a dropped frame: " + answer);
    }
  }

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
      // Cameras run on b, the only node with the sources role.
      Node b = cluster.start("b", "front,sources", ClusterNodes.freePort(), Map.of());
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

      // A camera on b runs the pipeline; an edit made on a reaches it on its next frames.
      try (StreamServers.Server camera = StreamServers.ffmpegHttp(StreamServers.freePort(), 10)) {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + b.server().port() + "/sources"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(
                "{\"id\":\"cam\",\"url\":\"" + camera.url + "\",\"pipeline_id\":\"shared\"}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        try (WsTestClient watcher = WsTestClient.connect(b.server().port(), "/ws/sources/cam")) {
          assertEquals(1, nextResult(watcher).get("slept_ms").asInt());
          pipelines(a).put("shared", sleep("shared", 2));
          JsonNode result = nextResult(watcher);
          while (result.get("slept_ms").asInt() == 1) {
            result = nextResult(watcher); // frames that started before the edit arrived
          }
          assertEquals(2, result.get("slept_ms").asInt(), "the camera on b runs a's edit: " + result);
          JsonNode status = JSON.readTree(ClusterRemoteNodesTest.get(b.server().port(), "/sources/cam"));
          assertEquals(2, status.get("pipeline_version").asInt(), status.toString());
        }
      }

      pipelines(b).put("shared", sleep("shared", 3));
      awaitVersion(a, "shared", 3);
      assertEquals(sleep("shared", 3), pipelines(a).get("shared").orElseThrow());
      assertEquals(3, a.server().dag().currentVersion("shared"), "the engine runs the new version");

      pipelines(a).delete("shared");
      TestServer.await("b drops the deleted pipeline", () -> pipelines(b).get("shared").isEmpty());
      // A later change crossing the cluster: by then the deletion has settled on both nodes.
      pipelines(b).create(sleep("later", 1));
      awaitVersion(a, "later", 1);
      assertFalse(pipelines(a).get("shared").isPresent(), "not resurrected on a");
      assertFalse(pipelines(b).get("shared").isPresent(), "not resurrected on b");

      pipelines(b).create(sleep("shared", 4));
      awaitVersion(a, "shared", 4);
      assertEquals(4, pipelines(b).entry("shared").orElseThrow().version(), "versions continue after the deletion");
    }
  }
}
