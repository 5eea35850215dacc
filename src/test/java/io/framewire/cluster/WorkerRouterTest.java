package io.framewire.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.framewire.metrics.ClusterMetrics;
import io.framewire.testing.TestServer;
import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The router's failover rules, deterministically: workers are test probes registered with the
 * (local) Receptionist, and a worker "leaves" by deregistering, which is what the cluster
 * Receptionist's listing shows when a worker leaves or its node becomes unreachable.
 */
class WorkerRouterTest {

  private final ActorTestKit kit = ActorTestKit.create();
  private final CollectorRegistry registry = new CollectorRegistry();
  private final AtomicInteger reachable = new AtomicInteger();
  private final ClusterMetrics metrics = new ClusterMetrics(registry, reachable::get);

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
  }

  private ActorRef<WorkerRouter.Command> router(Duration timeout) {
    return kit.spawn(WorkerRouter.create(metrics, timeout, 4, 16, reachable));
  }

  /** A call as a worker received it. */
  private record Got(String worker, NodeWorker.RunNode call) {}

  private final TestProbe<Got> calls = kit.createTestProbe();

  /** A worker that reports each call to {@link #calls}, registered with the Receptionist. */
  private ActorRef<NodeWorker.Command> worker(String name) {
    ActorRef<NodeWorker.Command> worker = kit.spawn(Behaviors.receiveMessage(message -> {
      calls.getRef().tell(new Got(name, (NodeWorker.RunNode) message));
      return Behaviors.same();
    }), name);
    kit.system().receptionist().tell(Receptionist.register(NodeWorker.KEY, worker));
    return worker;
  }

  private void leave(ActorRef<NodeWorker.Command> worker) {
    kit.system().receptionist().tell(Receptionist.deregister(NodeWorker.KEY, worker));
  }

  private void awaitWorkers(int n) {
    TestServer.await(n + " workers", () -> reachable.get() == n);
  }

  private static CompletableFuture<Map<String, Object>> dispatch(ActorRef<WorkerRouter.Command> router) {
    CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
    router.tell(new WorkerRouter.Dispatch(new WorkerRouter.NodeCall("n", "p", "t", "{}", 5, new byte[] {1},
        JsonNodeFactory.instance.objectNode()), result));
    return result;
  }

  private static Throwable failure(CompletableFuture<?> result) throws Exception {
    try {
      result.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure, got " + result.get());
  }

  private double outcome(String outcome) {
    Double v = registry.getSampleValue("remote_node_calls_total", new String[] {"outcome"}, new String[] {outcome});
    return v == null ? 0 : v;
  }

  @Test
  void aLostWorkersCallIsRetriedOnceOnAnotherAndTheLateAnswerIsIgnored() throws Exception {
    ActorRef<WorkerRouter.Command> router = router(Duration.ofSeconds(10));
    Map<String, ActorRef<NodeWorker.Command>> workers = Map.of("w1", worker("w1"), "w2", worker("w2"));
    awaitWorkers(2);
    CompletableFuture<Map<String, Object>> result = dispatch(router);
    Got first = calls.receiveMessage(Duration.ofSeconds(10));

    leave(workers.get(first.worker()));
    Got retry = calls.receiveMessage(Duration.ofSeconds(10));
    assertNotEquals(first.worker(), retry.worker(), "retried on the other worker");
    assertEquals(first.call().requestId(), retry.call().requestId());
    assertEquals(5, retry.call().frameIndex());
    assertFalse(result.isDone());

    retry.call().replyTo().tell(new WorkerRouter.NodeDone(retry.call().requestId(), WireJson.toTree(Map.of("by", "retry"))));
    assertEquals(Map.of("by", "retry"), result.get(10, TimeUnit.SECONDS));
    first.call().replyTo().tell(new WorkerRouter.NodeDone(first.call().requestId(), WireJson.toTree(Map.of("by", "late"))));
    assertEquals(Map.of("by", "retry"), result.get(), "the late answer changes nothing");
    assertEquals(1, registry.getSampleValue("remote_node_retries_total"));
    assertEquals(1, outcome(ClusterMetrics.OK));
    calls.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aCallWhoseRetryWorkerLeavesTooFails() throws Exception {
    ActorRef<WorkerRouter.Command> router = router(Duration.ofSeconds(10));
    Map<String, ActorRef<NodeWorker.Command>> workers =
        Map.of("w1", worker("w1"), "w2", worker("w2"), "w3", worker("w3"));
    awaitWorkers(3);
    CompletableFuture<Map<String, Object>> result = dispatch(router);
    Got first = calls.receiveMessage(Duration.ofSeconds(10));
    leave(workers.get(first.worker()));
    Got retry = calls.receiveMessage(Duration.ofSeconds(10));
    assertNotEquals(first.worker(), retry.worker());
    leave(workers.get(retry.worker()));
    Throwable error = failure(result);
    assertInstanceOf(WorkerRouter.NoWorkerAvailableException.class, error);
    assertEquals("no worker available: the frame's worker and the worker it was retried on both left", error.getMessage());
    assertEquals(1, outcome(ClusterMetrics.NO_WORKER));
    calls.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void aLostWorkerWithNoOtherFailsTheCallAndNewCallsFailAtOnce() throws Exception {
    ActorRef<WorkerRouter.Command> router = router(Duration.ofSeconds(10));
    ActorRef<NodeWorker.Command> w1 = worker("w1");
    awaitWorkers(1);
    CompletableFuture<Map<String, Object>> result = dispatch(router);
    calls.receiveMessage(Duration.ofSeconds(10));
    leave(w1);
    Throwable error = failure(result);
    assertInstanceOf(WorkerRouter.NoWorkerAvailableException.class, error);
    assertTrue(error.getMessage().startsWith("no worker available: worker "), error.getMessage());
    assertTrue(error.getMessage().endsWith(" left and no other worker is reachable"), error.getMessage());
    awaitWorkers(0);
    assertEquals("no worker available: the cluster has no reachable worker", failure(dispatch(router)).getMessage());
  }

  @Test
  void aToolFailureIsPassedOnAndNotRetried() throws Exception {
    ActorRef<WorkerRouter.Command> router = router(Duration.ofSeconds(10));
    worker("w1");
    worker("w2");
    awaitWorkers(2);
    CompletableFuture<Map<String, Object>> result = dispatch(router);
    NodeWorker.RunNode call = calls.receiveMessage(Duration.ofSeconds(10)).call();
    call.replyTo().tell(new WorkerRouter.NodeFailed(call.requestId(), "model file missing"));
    Throwable error = failure(result);
    assertInstanceOf(WorkerRouter.RemoteToolException.class, error);
    assertEquals("model file missing", error.getMessage());
    calls.expectNoMessage(Duration.ofMillis(200));
    assertEquals(1, outcome(ClusterMetrics.TOOL_ERROR));
  }

  @Test
  void aCallWithoutAnswerTimesOutAtItsDeadline() throws Exception {
    ActorRef<WorkerRouter.Command> router = router(Duration.ofMillis(300));
    worker("w1");
    awaitWorkers(1);
    CompletableFuture<Map<String, Object>> result = dispatch(router);
    calls.receiveMessage(Duration.ofSeconds(10));
    assertInstanceOf(TimeoutException.class, failure(result));
    assertEquals(1, outcome(ClusterMetrics.TIMEOUT));
  }
}
