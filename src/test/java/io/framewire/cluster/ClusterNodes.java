package io.framewire.cluster;

import io.framewire.settings.FramewireSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.framewire.server.FramewireServer;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.testing.TestServer;
import io.framewire.api.ToolPlugin;
import io.framewire.pipeline.ToolRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Cluster nodes for tests: real framewire servers (HTTP on 127.0.0.1 port 0, Artery TCP on a free
 * 127.0.0.1 port) in this JVM, each with its own actor system, tools and metrics. Messages between
 * them really cross Artery TCP, so everything they exchange is really serialized.
 */
final class ClusterNodes implements AutoCloseable {

  /**
   * {@code remote}: a local {@code debug/echo} node feeding {@code heavy} ({@code ctest/work},
   * placement worker); the result merges both.
   */
  /** {@code remote_fail}: a worker node whose tool fails. */
  static final String FAILING_PIPELINE = """
      {"id":"remote_fail","name":"remote_fail","nodes":[
         {"id":"bad","plugin_id":"debug","tool_id":"fail","params":{"message":"model file missing"},"placement":"worker"}],
       "edges":[],"entry_nodes":["bad"],"output_nodes":["bad"]}""";

  static final String REMOTE_PIPELINE = """
      {"id":"remote","name":"remote","nodes":[
         {"id":"echo","plugin_id":"debug","tool_id":"echo"},
         {"id":"heavy","plugin_id":"ctest","tool_id":"work","params":{"ms":%d},"placement":"worker"}],
       "edges":[{"from_node":"echo","to_node":"heavy"}],
       "entry_nodes":["echo"],"output_nodes":["echo","heavy"]}""";

  record Node(String name, FramewireServer server, WorkPlugin work, int clusterPort) {
    FramewireCluster cluster() {
      return server.cluster().orElseThrow();
    }
  }

  private final List<Node> nodes = new ArrayList<>();
  private final int seedPort = freePort();
  private final long workMs;

  ClusterNodes(long workMs) {
    this.workMs = workMs;
  }

  /** The seed: a front without the worker role. */
  Node front() {
    return front(Map.of());
  }

  Node front(Map<String, Object> settings) {
    return start("front", "front", seedPort, settings);
  }

  Node worker(String name) {
    return start(name, "worker", freePort(), Map.of());
  }

  /** A worker whose actor system, when terminated, just stops: no cluster leave, as if it crashed. */
  Node crashableWorker(String name) {
    return start(name, "worker", freePort(), Map.of("pekko.coordinated-shutdown.run-by-actor-system-terminate", "off"));
  }

  Node start(String name, String roles, int port, Map<String, Object> extra) {
    Map<String, Object> settings = new HashMap<>(extra);
    settings.put("framewire.http.host", "127.0.0.1");
    settings.put("framewire.http.port", 0);
    settings.put("framewire.cluster.roles", roles);
    settings.put("framewire.cluster.host", "127.0.0.1");
    settings.put("framewire.cluster.port", port);
    settings.put("framewire.cluster.seed-nodes", "127.0.0.1:" + seedPort);
    settings.put("framewire.shutdown.deadline-ms", 2000);
    // Several cluster nodes in one JVM; quicker gossip and failure detection than production.
    settings.put("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
    settings.put("pekko.cluster.gossip-interval", "200ms");
    settings.put("pekko.cluster.leader-actions-interval", "200ms");
    settings.put("pekko.cluster.typed.receptionist.distributed-data.gossip-interval", "200ms");
    settings.put("pekko.cluster.typed.receptionist.distributed-data.notify-subscribers-interval", "100ms");
    settings.put("pekko.cluster.distributed-data.gossip-interval", "200ms");
    settings.put("pekko.cluster.distributed-data.notify-subscribers-interval", "100ms");
    // Production's failure detection (a shorter pause flaps on a loaded 2-core machine), and room
    // for it in the frame deadline: a crashed worker's frame is retried after about 4-6 s.
    settings.put("pekko.cluster.failure-detector.acceptable-heartbeat-pause", "3s");
    settings.put("framewire.stream.frame-timeout-ms", 20000);
    settings.put("pekko.cluster.split-brain-resolver.stable-after", "1s");
    settings.put("pekko.loglevel", "WARNING");
    if (!roles.contains("front")) {
      // On workers every message to an actor is serialized and read back, local ones too, unless
      // marked NoSerializationVerificationNeeded. (Fronts carry the sessions' local protocols; what
      // they exchange with workers crosses Artery TCP here, so it is really serialized anyway.)
      settings.put("pekko.actor.serialize-messages", "on");
    }
    Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
    WorkPlugin work = new WorkPlugin(name);
    List<ToolPlugin> plugins = new ArrayList<>();
    ServiceLoader.load(ToolPlugin.class).forEach(plugins::add);
    plugins.add(work);
    ToolRegistry tools = ToolRegistry.of(plugins);
    List<PipelineDefinition> pipelines = new ArrayList<>();
    pipelines.add(PipelineJson.read(REMOTE_PIPELINE.formatted(workMs)));
    pipelines.add(PipelineJson.read(FAILING_PIPELINE));
    FramewireServer server = FramewireServer.start(FramewireSettings.from(config), tools, PipelineRegistry.of(tools, pipelines));
    Node node = new Node(name, server, work, port);
    synchronized (nodes) {
      nodes.add(node);
    }
    return node;
  }

  /** Waits until the front's router can use exactly {@code n} workers. */
  static void awaitWorkers(Node front, int n) {
    TestServer.await("the front sees " + n + " reachable workers", () -> front.cluster().workersReachable() == n);
  }

  static double metric(Node node, String sample) {
    Double value = node.server().metrics().registry().getSampleValue(sample);
    return value == null ? 0 : value;
  }

  static double metric(Node node, String name, String label, String value) {
    Double v = node.server().metrics().registry().getSampleValue(name, new String[] {label}, new String[] {value});
    return v == null ? 0 : v;
  }

  static int freePort() {
    return io.framewire.testing.FreePorts.pick();
  }

  @Override
  public void close() {
    List<Node> all;
    synchronized (nodes) {
      all = new ArrayList<>(nodes);
    }
    for (Node node : all) {
      node.work().release();
    }
    // Workers first, then the front (the seed): each leaves while the others are still there.
    for (int i = all.size() - 1; i >= 0; i--) {
      try {
        all.get(i).server().close();
      } catch (RuntimeException ignored) {
        // already stopped (a crashed worker)
      }
    }
  }
}
