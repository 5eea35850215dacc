package io.framewire.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.ServerProcess;
import io.framewire.testing.StreamServers;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as three cluster nodes on 127.0.0.1 (every role each, as the default), nine live
 * cameras served by Debian's ffmpeg. The node running the most cameras is killed with SIGKILL: every
 * camera runs again on the other two within 15 s, the cameras of the survivors are not restarted, and
 * a watcher on a surviving front gets answers again. The killed node comes back and takes a share of
 * the cameras. Every front lists all nine with their node.
 */
class SourcesClusterJarIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int CAMERAS = 9;

  /** One framewire node: the jar with the cluster settings an operator would give it. */
  private static final class Node implements AutoCloseable {
    final int clusterPort;
    final String seeds;
    final Path stateDir;
    ServerProcess server;
    int port;

    Node(int clusterPort, String seeds, Path stateDir) {
      this.clusterPort = clusterPort;
      this.seeds = seeds;
      this.stateDir = stateDir;
    }

    String address() {
      return "127.0.0.1:" + clusterPort;
    }

    void start() throws Exception {
      ProcessBuilder builder = ServerProcess.java("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", Path.of("target", "framewire.jar").toString());
      Map<String, String> env = builder.environment();
      env.put("CLUSTER_HOST", "127.0.0.1");
      env.put("CLUSTER_PORT", String.valueOf(clusterPort));
      env.put("CLUSTER_SEED_NODES", seeds);
      // Failure detection and downing tuned down for a test; C1 only and one GC thread: three JVMs start on 2 cores (docs/scaling.md gives the defaults' times).
      env.put("CLUSTER_HEARTBEAT_PAUSE", "2s");
      env.put("CLUSTER_DOWN_AFTER", "1s");
      env.put("SOURCES_REBALANCE_INTERVAL", "2s");
      env.put("SOURCES_RECONNECT_MIN_BACKOFF_MS", "200");
      env.put("SOURCES_RECONNECT_MAX_BACKOFF_MS", "1000");
      env.put("SOURCES_STATE_DIR", stateDir.toString());
      env.put("SOURCES_MAX", String.valueOf(CAMERAS));
      server = ServerProcess.start(builder);
      port = server.port(Duration.ofSeconds(90));
    }

    void kill() throws Exception {
      server.process().destroyForcibly(); // SIGKILL: no goodbye to the cluster
      assertTrue(server.process().waitFor(30, TimeUnit.SECONDS));
    }

    /** GET /sources: each camera's snapshot by id; empty while this front does not answer. */
    Map<String, JsonNode> sources() {
      try {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sources"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        Map<String, JsonNode> byId = new TreeMap<>();
        if (response.statusCode() == 200) {
          JSON.readTree(response.body()).forEach(s -> byId.put(s.get("id").asText(), s));
        }
        return byId;
      } catch (Exception e) {
        return Map.of();
      }
    }

    int upMembers() {
      try {
        JsonNode health = JSON.readTree(ClusterRemoteNodesTest.get(port, "/health"));
        int up = 0;
        for (JsonNode m : health.at("/cluster/members")) {
          up += m.get("status").asText().equals("Up") && m.get("reachable").asBoolean() ? 1 : 0;
        }
        return up;
      } catch (Exception e) {
        return 0;
      }
    }

    @Override
    public void close() {
      if (server != null) {
        server.close();
      }
    }
  }

  /**
   * A camera: ffmpeg serving a live MPEG-TS test pattern to one client at a time ({@code -listen 1}),
   * started again as soon as its client went, as a camera accepts the next connection.
   */
  private static final class Camera implements AutoCloseable {
    final Process process;
    final String url;

    Camera(int port) throws Exception {
      url = "http://127.0.0.1:" + port + "/live.ts";
      String ffmpeg = "ffmpeg -hide_banner -nostdin -loglevel error -re -f lavfi -i testsrc=size=160x120:rate=10"
          + " -c:v mpeg2video -g 5 -f mpegts -listen 1 " + url;
      process = new ProcessBuilder("bash", "-c", "while :; do " + ffmpeg + "; sleep 0.1; done")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Override
    public void close() {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static HttpResponse<String> post(int port, String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sources"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean allRunning(Map<String, JsonNode> sources, String notOn) {
    return sources.size() == CAMERAS && sources.values().stream().allMatch(s ->
        s.get("state").asText().equals("running") && s.hasNonNull("node") && !s.get("node").asText().equals(notOn));
  }

  private static Map<String, Integer> perNode(Map<String, JsonNode> sources) {
    Map<String, Integer> counts = new TreeMap<>();
    sources.values().forEach(s -> counts.merge(s.get("node").asText(), 1, Integer::sum));
    return counts;
  }

  @Test
  void camerasMoveOffAKilledNodeWithin15SecondsAndRebalanceWhenItComesBack() throws Exception {
    assertTrue(Files.isRegularFile(Path.of("target", "framewire.jar")), "run after mvn package");
    int[] clusterPorts = {ClusterNodes.freePort(), ClusterNodes.freePort(), ClusterNodes.freePort()};
    String seeds = "127.0.0.1:" + clusterPorts[0] + ",127.0.0.1:" + clusterPorts[1] + ",127.0.0.1:" + clusterPorts[2];
    Path state = Files.createTempDirectory("framewire-sources-cluster-it");
    List<Node> nodes = new ArrayList<>();
    List<Camera> cameras = new ArrayList<>();
    long t0 = System.nanoTime();
    java.util.function.Consumer<String> phase = what ->
        System.out.printf("SourcesClusterJarIT %5.1f s: %s%n", (System.nanoTime() - t0) / 1e9, what);
    try {
      for (int i = 0; i < CAMERAS; i++) {
        cameras.add(new Camera(StreamServers.freePort()));
      }
      for (int i = 0; i < 3; i++) {
        nodes.add(new Node(clusterPorts[i], seeds, Files.createDirectory(state.resolve("node" + i))));
      }
      List<CompletableFuture<Void>> starts = new ArrayList<>();
      for (Node node : nodes) {
        starts.add(CompletableFuture.runAsync(() -> {
          try {
            node.start();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }));
      }
      CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
      TestServer.await(() -> "three members up", Duration.ofSeconds(60),
          () -> nodes.stream().allMatch(n -> n.upMembers() == 3));
      phase.accept("three nodes up");

      for (int i = 0; i < CAMERAS; i++) {
        HttpResponse<String> created = post(nodes.get(i % 3).port,
            "{\"id\":\"cam" + i + "\",\"url\":\"" + cameras.get(i).url + "\",\"pipeline_id\":\"motion\"}");
        assertEquals(201, created.statusCode(), created.body());
        assertTrue(JSON.readTree(created.body()).hasNonNull("node"), created.body());
      }
      assertEquals(409, post(nodes.get(1).port,
          "{\"id\":\"cam0\",\"url\":\"" + cameras.get(0).url + "\",\"pipeline_id\":\"motion\"}").statusCode(),
          "an id taken on another front");
      TestServer.await(() -> "nine cameras running, seen from every front", Duration.ofSeconds(60),
          () -> nodes.stream().allMatch(n -> allRunning(n.sources(), "")));
      Map<String, JsonNode> before = nodes.get(0).sources();
      Map<String, Integer> counts = perNode(before);
      phase.accept("nine cameras running: " + counts);
      for (Node node : nodes) {
        assertEquals(before.keySet(), node.sources().keySet(), "every front lists all nine");
      }

      // The node running the most cameras dies; a watcher on a surviving front watches one of its cameras.
      Node victim = nodes.stream().max((a, b) -> Integer.compare(counts.getOrDefault(a.address(), 0),
          counts.getOrDefault(b.address(), 0))).orElseThrow();
      Node survivor = nodes.stream().filter(n -> n != victim).findFirst().orElseThrow();
      String watched = before.values().stream().filter(s -> s.get("node").asText().equals(victim.address()))
          .findFirst().orElseThrow().get("id").asText();
      List<Long> answerTimes = new CopyOnWriteArrayList<>();
      java.util.concurrent.atomic.AtomicReference<JsonNode> lastError = new java.util.concurrent.atomic.AtomicReference<>();
      WsTestClient watcher = WsTestClient.connect(survivor.port, "/ws/sources/" + watched);
      CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
        while (true) {
          JsonNode answer = watcher.next();
          if (answer.has("error")) { // the last message of a watcher
            lastError.set(answer);
            return;
          }
          answerTimes.add(System.nanoTime());
        }
      });
      TestServer.await("the watcher gets answers from the victim's camera", () -> answerTimes.size() >= 3);

      long killedAt = System.nanoTime();
      victim.kill();
      phase.accept("killed " + victim.address() + " running " + counts.get(victim.address()) + " cameras at "
          + java.time.Instant.now().minusNanos(System.nanoTime() - killedAt));
      Map<String, JsonNode>[] after = new Map[1];
      TestServer.await(() -> "every camera running again on the survivors within 15 s: " + after[0],
          Duration.ofSeconds(15).minusNanos(System.nanoTime() - killedAt), () -> {
            after[0] = survivor.sources();
            return allRunning(after[0], victim.address());
          });
      double allRunningAgain = (System.nanoTime() - killedAt) / 1e9;
      phase.accept(String.format("all nine running again %.1f s after the kill: %s", allRunningAgain, perNode(after[0])));
      for (JsonNode old : before.values()) {
        if (!old.get("node").asText().equals(victim.address())) {
          JsonNode now = after[0].get(old.get("id").asText());
          assertEquals(old.get("node"), now.get("node"), "a survivor's camera stays: " + now);
          assertEquals(old.get("node_since"), now.get("node_since"), "a survivor's camera is not restarted: " + now);
        }
      }
      long gapEnd = killedAt + TimeUnit.MILLISECONDS.toNanos(500); // answers already on their way before the kill
      TestServer.await(() -> "answers again on the surviving front's watcher", Duration.ofSeconds(15),
          () -> answerTimes.stream().anyMatch(t -> t > gapEnd));
      long firstAgain = answerTimes.stream().filter(t -> t > gapEnd).findFirst().orElseThrow();
      phase.accept(String.format("first answer again on the watcher %.1f s after the kill", (firstAgain - killedAt) / 1e9));
      assertFalse(watcher.isClosed(), "the watcher stayed connected across the move");

      // The killed node comes back (same address and state directory): it takes a share.
      victim.start();
      TestServer.await(() -> "three members up again", Duration.ofSeconds(60),
          () -> nodes.stream().allMatch(n -> n.upMembers() == 3));
      phase.accept("the killed node is back");
      Map<String, JsonNode>[] rebalanced = new Map[1];
      TestServer.await(() -> "cameras rebalanced onto the returned node: " + rebalanced[0], Duration.ofSeconds(60), () -> {
        rebalanced[0] = victim.sources();
        return allRunning(rebalanced[0], "") && perNode(rebalanced[0]).getOrDefault(victim.address(), 0) >= 2;
      });
      phase.accept("rebalanced: " + perNode(rebalanced[0]));
      int kept = 0;
      for (JsonNode was : after[0].values()) {
        JsonNode now = rebalanced[0].get(was.get("id").asText());
        if (now.get("node").equals(was.get("node"))) {
          assertEquals(was.get("node_since"), now.get("node_since"), "a camera that did not move was not restarted");
          kept++;
        } else {
          assertEquals(victim.address(), now.get("node").asText(), "cameras move only onto the returned node");
        }
      }
      assertNotEquals(0, kept);
      for (Node node : nodes) {
        Map<String, JsonNode> listed = node.sources();
        assertEquals(before.keySet(), listed.keySet(), "every front lists all nine");
        listed.values().forEach(s -> assertTrue(s.hasNonNull("node"), s.toString()));
      }
      // A preview from a front the camera does not run on: the JPEG crosses the cluster.
      Node front = nodes.get(0);
      String elsewhere = rebalanced[0].values().stream().filter(s -> !s.get("node").asText().equals(front.address()))
          .findFirst().orElseThrow().get("id").asText();
      HttpResponse<byte[]> preview = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + front.port + "/sources/" + elsewhere + "/preview.jpg")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, preview.statusCode());
      assertEquals("image/jpeg", preview.headers().firstValue("Content-Type").orElse(""));
      assertEquals((byte) 0xFF, preview.body()[0]);
      assertEquals((byte) 0xD8, preview.body()[1]);

      // Deleted through another front: the watcher gets source_stopped, every front forgets it.
      Node deleter = nodes.stream().filter(n -> n != survivor).findFirst().orElseThrow();
      HttpResponse<String> deleted = HTTP.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + deleter.port + "/sources/" + watched)).DELETE().build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(204, deleted.statusCode(), deleted.body());
      reader.get(20, TimeUnit.SECONDS);
      assertEquals("source_stopped", lastError.get().get("error").asText(), lastError.get().toString());
      TestServer.await("every front lists the eight others", () -> nodes.stream().allMatch(n -> {
        Map<String, JsonNode> listed = n.sources();
        return listed.size() == CAMERAS - 1 && !listed.containsKey(watched);
      }));
      assertEquals(404, ClusterRemoteNodesTest.status(survivor.port, "/sources/" + watched));
      watcher.close();
    } finally {
      for (int i = 0; i < nodes.size(); i++) {
        if (nodes.get(i).server != null) { // each node's log, for a failure's post-mortem
          Files.writeString(Path.of("target", "sources-cluster-it-node" + i + ".log"), nodes.get(i).server.output());
        }
      }
      nodes.forEach(Node::close);
      cameras.forEach(Camera::close);
      try (var files = Files.walk(state)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }
}
