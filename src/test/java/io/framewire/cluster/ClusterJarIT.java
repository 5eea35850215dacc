package io.framewire.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.ServerProcess;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar as three processes on 127.0.0.1: a front and two workers configured only by
 * environment variables, as an operator runs them. A worker is killed with SIGKILL while two
 * sessions stream: every frame is still answered with a result and the sessions stay open.
 */
class ClusterJarIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One framewire process of the cluster and its log. */
  private static final class Proc implements AutoCloseable {
    final ServerProcess server;
    final Process process;

    Proc(Map<String, String> env) throws Exception {
      ProcessBuilder builder = ServerProcess.java("-Xmx256m", "-jar", Path.of("target", "framewire.jar").toString());
      builder.environment().putAll(env);
      builder.environment().put("CLUSTER_HOST", "127.0.0.1");
      builder.environment().put("CLUSTER_HEARTBEAT_PAUSE", "2s");
      builder.environment().put("CLUSTER_DOWN_AFTER", "3s");
      server = ServerProcess.start(builder);
      process = server.process();
    }

    int port() throws Exception {
      return server.port(Duration.ofSeconds(90));
    }

    JsonNode health() throws Exception {
      return JSON.readTree(ClusterRemoteNodesTest.get(port(), "/health"));
    }

    double metric(String sample) throws Exception {
      for (String line : ClusterRemoteNodesTest.get(port(), "/metrics").split("\n")) {
        if (line.startsWith(sample + " ")) {
          return Double.parseDouble(line.substring(sample.length() + 1).trim());
        }
      }
      return 0;
    }

    @Override
    public void close() {
      server.close();
    }
  }

  @Test
  void aFrontAndTwoWorkerProcessesSurviveASigkilledWorker() throws Exception {
    Path jar = Path.of("target", "framewire.jar");
    assertTrue(Files.isRegularFile(jar), "run after mvn package");
    Path pipelines = Files.createTempDirectory("framewire-cluster-it");
    Files.writeString(pipelines.resolve("heavy.json"), """
        {"id":"heavy","name":"heavy","nodes":[
           {"id":"work","plugin_id":"debug","tool_id":"sleep","params":{"ms":150},"placement":"worker"}],
         "edges":[],"entry_nodes":["work"],"output_nodes":["work"]}""");
    int seedPort = ClusterNodes.freePort();
    String seeds = "127.0.0.1:" + seedPort;
    List<Proc> procs = new ArrayList<>();
    long t0 = System.nanoTime();
    java.util.function.Consumer<String> phase = what ->
        System.out.printf("ClusterJarIT %5.1f s: %s%n", (System.nanoTime() - t0) / 1e9, what);
    try {
      Proc front = new Proc(Map.of("FRAMEWIRE_ROLES", "front", "CLUSTER_PORT", String.valueOf(seedPort),
          "CLUSTER_SEED_NODES", seeds, "PIPELINES_DIR", pipelines.toString()));
      procs.add(front);
      Proc w1 = new Proc(Map.of("FRAMEWIRE_ROLES", "worker", "CLUSTER_PORT", String.valueOf(ClusterNodes.freePort()),
          "CLUSTER_SEED_NODES", seeds));
      procs.add(w1);
      Proc w2 = new Proc(Map.of("FRAMEWIRE_ROLES", "worker", "CLUSTER_PORT", String.valueOf(ClusterNodes.freePort()),
          "CLUSTER_SEED_NODES", seeds));
      procs.add(w2);
      front.port();
      phase.accept("front listening");
      TestServer.await("the front sees two workers", () -> {
        try {
          return front.health().at("/cluster/workers_reachable").asInt() == 2;
        } catch (Exception e) {
          return false;
        }
      });
      phase.accept("front sees two workers");
      assertEquals("[\"worker\"]", w1.health().at("/cluster/roles").toString());

      // Two sessions stream one frame at a time until told to stop.
      AtomicBoolean stop = new AtomicBoolean();
      List<JsonNode> answers = new CopyOnWriteArrayList<>();
      List<WsTestClient> clients = new ArrayList<>();
      List<CompletableFuture<Void>> sessions = new ArrayList<>();
      byte[] jpeg = TestJpegs.grayscale(64, 48, 90);
      for (int s = 0; s < 2; s++) {
        WsTestClient client = WsTestClient.stream(front.port(), "heavy");
        clients.add(client);
        sessions.add(CompletableFuture.runAsync(() -> {
          while (!stop.get()) {
            client.sendBinary(jpeg);
            answers.add(client.next());
          }
        }));
      }
      TestServer.await("both workers ran frames", () -> {
        try {
          return w1.metric("worker_node_runs_total{outcome=\"ok\",}") > 0 && w2.metric("worker_node_runs_total{outcome=\"ok\",}") > 0;
        } catch (Exception e) {
          return false;
        }
      });
      phase.accept("both workers ran frames");
      w2.process.destroyForcibly(); // SIGKILL: no goodbye to the cluster
      assertTrue(w2.process.waitFor(30, TimeUnit.SECONDS));
      TestServer.await("the front drops the dead worker", () -> {
        try {
          return front.health().at("/cluster/workers_reachable").asInt() == 1;
        } catch (Exception e) {
          return false;
        }
      });
      phase.accept("front dropped the killed worker");
      int before = answers.size();
      TestServer.await("more frames answered after the kill", () -> answers.size() >= before + 6);
      stop.set(true);
      for (CompletableFuture<Void> session : sessions) {
        session.get(30, TimeUnit.SECONDS);
      }
      for (JsonNode answer : answers) {
        assertEquals(150, answer.at("/result/slept_ms").asInt(), "every frame has a result: " + answer);
      }
      for (WsTestClient client : clients) {
        assertFalse(client.isClosed(), "the session is still open");
        client.close();
      }
      assertEquals(answers.size(), (int) front.metric("remote_node_calls_total{outcome=\"ok\",}"));
      assertEquals(0, front.metric("remote_node_calls_total{outcome=\"no_worker\",}"));

      phase.accept("sessions checked");
      // SIGTERM: the worker leaves gracefully and exits; so does the front.
      assertTrue(w1.server.terminate(Duration.ofSeconds(30)), "the worker exits after SIGTERM");
      phase.accept("worker exited");
      assertTrue(front.server.terminate(Duration.ofSeconds(30)), "the front exits after SIGTERM");
      phase.accept("front exited");
    } finally {
      procs.forEach(Proc::close);
      try (var files = Files.list(pipelines)) {
        files.forEach(f -> f.toFile().delete());
      }
      Files.deleteIfExists(pipelines);
    }
  }
}
