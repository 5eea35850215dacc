package io.framewire.cluster;

import io.framewire.settings.FramewireSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.framewire.server.FramewireServer;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.WsTestClient;
import io.framewire.pipeline.ToolRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.Test;

/** Without cluster settings framewire is today's single process: no cluster machinery, every node local. */
class SingleProcessDefaultTest {

  @Test
  void noClusterIsStartedAndNodesPlacedOnWorkersRunHere() throws Exception {
    Config config = ConfigFactory.parseMap(Map.of("framewire.http.host", "127.0.0.1", "framewire.http.port", 0))
        .withFallback(ConfigFactory.load());
    ClusterSettings settings = FramewireSettings.from(config).cluster();
    assertEquals(Set.of("front", "worker"), settings.roles(), "default roles");
    assertTrue(!settings.enabled() && settings.pekkoConfig(1 << 20).isEmpty());

    WorkPlugin work = new WorkPlugin("here");
    ToolRegistry tools = ToolRegistry.of(List.of(new io.framewire.tools.debug.DebugPlugin(), work));
    var pipeline = PipelineJson.read(ClusterNodes.REMOTE_PIPELINE.formatted(0));
    try (FramewireServer server = FramewireServer.start(FramewireSettings.from(config), tools, PipelineRegistry.of(tools, List.of(pipeline)))) {
      assertTrue(server.cluster().isEmpty());
      assertTrue(!server.dag().registry().isShared(), "pipelines are not shared with anything");
      assertEquals("local", server.system().settings().config().getString("pekko.actor.provider"));
      assertEquals("LocalActorRefProvider",
          Adapter.toClassic(server.system()).provider().getClass().getSimpleName(), "no remoting, no cluster");
      assertEquals("{\"status\":\"ok\"}", ClusterRemoteNodesTest.get(server.port(), "/health"), "health unchanged");
      // Live sources are this process's own (SourceManager): sharding needs the cluster provider.
      assertEquals("[]", ClusterRemoteNodesTest.get(server.port(), "/sources"));
      String metrics = ClusterRemoteNodesTest.get(server.port(), "/metrics");
      assertTrue(!metrics.contains("remote_node_calls_total") && !metrics.contains("cluster_workers_reachable"));
      try (WsTestClient client = WsTestClient.stream(server.port(), "remote")) {
        client.sendBinary(TestJpegs.grayscale(32, 24, 100));
        JsonNode answer = client.next();
        assertEquals("here", answer.at("/result/worker").asText(), "placement worker runs locally: " + answer);
        assertEquals(1, work.runs.get());
      }
    }
  }

  @Test
  void rolesOtherThanBothNeedACluster() {
    Config worker = ConfigFactory.parseMap(Map.of("framewire.cluster.roles", "worker")).withFallback(ConfigFactory.load());
    assertEquals("FRAMEWIRE_ROLES=worker needs a cluster: set CLUSTER_SEED_NODES (and CLUSTER_HOST, CLUSTER_PORT); "
            + "see docs/scaling.md",
        assertThrows(IllegalArgumentException.class, () -> FramewireSettings.from(worker).cluster()).getMessage());
    Config typo = ConfigFactory.parseMap(Map.of("framewire.cluster.roles", "front,gpu",
        "framewire.cluster.seed-nodes", "10.0.0.1:17355")).withFallback(ConfigFactory.load());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> FramewireSettings.from(typo).cluster()).getMessage()
        .startsWith("FRAMEWIRE_ROLES must be a comma list of 'front', 'worker' and 'sources'"));
    Config badSeed = ConfigFactory.parseMap(Map.of("framewire.cluster.seed-nodes", "10.0.0.1")).withFallback(ConfigFactory.load());
    assertEquals("CLUSTER_SEED_NODES entries must be host:port, got '10.0.0.1'",
        assertThrows(IllegalArgumentException.class, () -> FramewireSettings.from(badSeed).cluster()).getMessage());
  }

  @Test
  void aClusterNodeGetsTheClusterProviderSeedsRolesAndALargeEnoughFrameLane() {
    Config seeds = ConfigFactory.parseMap(Map.of("framewire.cluster.roles", "front",
        "framewire.cluster.seed-nodes", "10.0.0.1:17355, 10.0.0.2:17355", "framewire.cluster.host", "10.0.0.3",
        "framewire.cluster.port", 2552)).withFallback(ConfigFactory.load());
    Config pekko = FramewireSettings.from(seeds).cluster().pekkoConfig(5 * 1024 * 1024);
    assertEquals("cluster", pekko.getString("pekko.actor.provider"));
    assertEquals(List.of("pekko://framewire@10.0.0.1:17355", "pekko://framewire@10.0.0.2:17355"),
        pekko.getStringList("pekko.cluster.seed-nodes"));
    assertEquals(List.of("front"), pekko.getStringList("pekko.cluster.roles"));
    assertEquals("10.0.0.3", pekko.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(2552, pekko.getInt("pekko.remote.artery.canonical.port"));
    assertTrue(pekko.getBytes("pekko.remote.artery.advanced.maximum-large-frame-size") > 5 * 1024 * 1024);
  }
}
