package io.framewire.cluster;

import static io.framewire.cluster.ClusterNodes.awaitWorkers;
import static io.framewire.cluster.ClusterNodes.metric;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.cluster.ClusterNodes.Node;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.junit.jupiter.api.Test;

/**
 * A front and workers as separate actor systems in this JVM, talking over Artery TCP on 127.0.0.1:
 * the {@code remote} pipeline's {@code heavy} node (placement worker) runs on the workers.
 */
class ClusterRemoteNodesTest {

  private static final byte[] JPEG = TestJpegs.grayscale(64, 48, 128);

  /** Sends frames one at a time (each answered before the next), returns the answers. */
  private static List<JsonNode> stream(WsTestClient client, int frames) {
    List<JsonNode> answers = new ArrayList<>();
    for (int i = 0; i < frames; i++) {
      client.sendBinary(JPEG);
      answers.add(client.next());
    }
    return answers;
  }

  private static void assertAnsweredByWorker(JsonNode answer) {
    assertTrue(answer.has("result"), answer.toString());
    JsonNode result = answer.get("result");
    assertTrue(result.get("worker").asText().startsWith("w"), "ran on a worker: " + answer);
    assertEquals(64, result.get("width").asInt(), "the worker decoded the frame: " + answer);
    assertEquals(JPEG.length, result.get("echoed_bytes").asInt(), "the local node's output reached the worker: " + answer);
    assertEquals(answer.get("frame_index").asLong(), result.get("frame").asLong(), answer.toString());
    assertEquals(2.5, result.at("/boxes/0/y").asDouble(), "nested outputs survive the trip: " + answer);
    assertFalse(result.has("_internal_ok"), "internal keys stay out of results: " + answer);
  }

  @Test
  void aFrontSpreadsLoadOverTwoWorkers() throws Exception {
    try (ClusterNodes cluster = new ClusterNodes(20)) {
      Node front = cluster.front();
      Node w1 = cluster.worker("w1");
      Node w2 = cluster.worker("w2");
      awaitWorkers(front, 2);

      int sessions = 3;
      int frames = 8;
      List<CompletableFuture<List<JsonNode>>> runs = new ArrayList<>();
      for (int s = 0; s < sessions; s++) {
        runs.add(CompletableFuture.supplyAsync(() -> {
          try (WsTestClient client = WsTestClient.stream(front.server().port(), "remote")) {
            return stream(client, frames);
          }
        }));
      }
      for (CompletableFuture<List<JsonNode>> run : runs) {
        run.get(60, TimeUnit.SECONDS).forEach(ClusterRemoteNodesTest::assertAnsweredByWorker);
      }
      assertEquals(sessions * frames, w1.work().runs.get() + w2.work().runs.get());
      assertTrue(w1.work().runs.get() > 0 && w2.work().runs.get() > 0,
          "both workers ran frames: w1=" + w1.work().runs + " w2=" + w2.work().runs);
      assertEquals(0, front.work().runs.get(), "the front ran no heavy node itself");
      assertEquals(sessions * frames, metric(front, "remote_node_calls_total", "outcome", "ok"));
      assertEquals(w1.work().runs.get(), metric(w1, "worker_node_runs_total", "outcome", "ok"));
      assertEquals(2, metric(front, "cluster_workers_reachable"));
      assertTrue(metric(front, "remote_node_seconds_count") == sessions * frames);

      // A tool that fails on the worker fails the frame as it would locally: its node and message.
      try (WsTestClient client = WsTestClient.stream(front.server().port(), "remote_fail")) {
        client.sendBinary(JPEG);
        JsonNode answer = client.next();
        assertEquals("pipeline_failure", answer.get("error").asText(), answer.toString());
        assertEquals("node 'bad' failed: model file missing", answer.get("detail").asText());
      }
      assertEquals(1, metric(front, "remote_node_calls_total", "outcome", "tool_error"));
      assertEquals(0, metric(front, "remote_node_retries_total"), "a tool error is not retried");

      // A frame far above Artery's ordinary 256 KiB message limit travels on the large-message lane.
      byte[] big = TestJpegs.noise(1600, 1200, 7);
      assertTrue(big.length > 1024 * 1024, "a big frame: " + big.length);
      try (WsTestClient client = WsTestClient.stream(front.server().port(), "remote")) {
        client.sendBinary(big);
        JsonNode answer = client.next();
        assertEquals(1600, answer.at("/result/width").asInt(), answer.toString());
        assertEquals(big.length, answer.at("/result/echoed_bytes").asInt(), answer.toString());
      }

      JsonNode health = new ObjectMapper().readTree(get(front.server().port(), "/health"));
      assertEquals("ok", health.get("status").asText(), health.toString());
      assertEquals(2, health.at("/cluster/workers_reachable").asInt(), health.toString());
      assertEquals("[\"front\"]", health.at("/cluster/roles").toString(), health.toString());
      assertEquals(3, health.at("/cluster/members").size(), health.toString());
      assertEquals("Up", health.at("/cluster/status").asText(), health.toString());
      // A worker-only node serves health and metrics, but no sessions.
      assertTrue(get(w1.server().port(), "/metrics").contains("worker_node_runs_total"));
      assertEquals(404, status(w1.server().port(), "/ws/video/stream?pipeline_id=remote"));
    }
  }

  @Test
  void aFrontKeepsAtMostItsBoundOfCallsOnAWorkerAndQueuesTheRest() throws Exception {
    try (ClusterNodes cluster = new ClusterNodes(30)) {
      Node front = cluster.front(java.util.Map.of("framewire.cluster.max-in-flight-per-worker", 1));
      Node w1 = cluster.worker("w1");
      awaitWorkers(front, 1);
      List<CompletableFuture<List<JsonNode>>> runs = new ArrayList<>();
      for (int s = 0; s < 3; s++) {
        runs.add(CompletableFuture.supplyAsync(() -> {
          try (WsTestClient client = WsTestClient.stream(front.server().port(), "remote")) {
            return stream(client, 4);
          }
        }));
      }
      for (CompletableFuture<List<JsonNode>> run : runs) {
        run.get(60, TimeUnit.SECONDS).forEach(ClusterRemoteNodesTest::assertAnsweredByWorker);
      }
      assertEquals(12, w1.work().runs.get());
      assertEquals(1, w1.work().mostAtOnce.get(), "never more than the bound on the worker at once");
    }
  }

  @Test
  void killingAWorkerMidStreamLeavesEveryFrameAnsweredAndTheSessionOpen() throws Exception {
    try (ClusterNodes cluster = new ClusterNodes(0)) {
      Node front = cluster.front();
      Node w1 = cluster.worker("w1");
      Node w2 = cluster.crashableWorker("w2");
      awaitWorkers(front, 2);
      w2.work().hold(); // w2 keeps the first frame it gets

      try (WsTestClient client = WsTestClient.stream(front.server().port(), "remote")) {
        List<JsonNode> answers = new ArrayList<>();
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> answers.addAll(stream(client, 6)));
        assertTrue(w2.work().entered.await(20, TimeUnit.SECONDS), "w2 got a frame");
        // Crash w2 while it holds that frame: its actor system stops without leaving the cluster.
        w2.server().system().terminate();
        sending.get(60, TimeUnit.SECONDS);

        assertEquals(6, answers.size());
        answers.forEach(ClusterRemoteNodesTest::assertAnsweredByWorker);
        for (int i = 0; i < 6; i++) {
          assertEquals(i, answers.get(i).get("frame_index").asInt());
        }
        assertEquals(1, metric(front, "remote_node_retries_total"), "the held frame was retried once");
        assertFalse(client.isClosed(), "the session is open");
        // And it keeps serving, on the remaining worker.
        JsonNode next = stream(client, 1).get(0);
        assertAnsweredByWorker(next);
        assertEquals("w1", next.at("/result/worker").asText());
      }
      awaitWorkers(front, 1);
      assertEquals(0, metric(front, "remote_node_calls_total", "outcome", "no_worker"));
    }
  }

  @Test
  void aWorkerJoiningLaterReceivesWork() {
    try (ClusterNodes cluster = new ClusterNodes(0)) {
      Node front = cluster.front();
      Node w1 = cluster.worker("w1");
      awaitWorkers(front, 1);
      try (WsTestClient client = WsTestClient.stream(front.server().port(), "remote")) {
        stream(client, 3).forEach(ClusterRemoteNodesTest::assertAnsweredByWorker);
        assertEquals(3, w1.work().runs.get());

        Node w2 = cluster.worker("w2");
        awaitWorkers(front, 2);
        stream(client, 6).forEach(ClusterRemoteNodesTest::assertAnsweredByWorker);
        assertTrue(w2.work().runs.get() > 0, "the new worker got frames: " + w2.work().runs);
        assertEquals(9, w1.work().runs.get() + w2.work().runs.get());
      }
    }
  }

  @Test
  void aFrontWithoutWorkersAnswersClearly() throws Exception {
    try (ClusterNodes cluster = new ClusterNodes(0)) {
      Node front = cluster.front();
      CompletableFuture<Void> up = new CompletableFuture<>();
      Cluster.get(Adapter.toClassic(front.server().system())).registerOnMemberUp(() -> up.complete(null));
      up.get(20, TimeUnit.SECONDS);
      try (WsTestClient client = WsTestClient.stream(front.server().port(), "remote")) {
        client.sendBinary(JPEG);
        JsonNode answer = client.next();
        assertEquals("pipeline_failure", answer.get("error").asText(), answer.toString());
        assertEquals("node 'heavy' failed: no worker available: the cluster has no reachable worker",
            answer.get("detail").asText());
        assertTrue(client.awaitCloseOrError(), "an error ends the session, as every error does");
      }
      assertEquals(0, front.work().runs.get(), "a front never runs a worker node itself");
      assertEquals(1, metric(front, "remote_node_calls_total", "outcome", "no_worker"));
      JsonNode health = new ObjectMapper().readTree(get(front.server().port(), "/health"));
      assertEquals(0, health.at("/cluster/workers_reachable").asInt(), health.toString());
      assertEquals(0, metric(front, "cluster_workers_reachable"));
    }
  }

  static String get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  static int status(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
