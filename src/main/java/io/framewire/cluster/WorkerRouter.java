package io.framewire.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.metrics.ClusterMetrics;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A front's router to the cluster's workers: it keeps the reachable workers (the Receptionist's
 * listing of {@link NodeWorker#KEY}, which leaves out workers on unreachable nodes) and every node
 * call it has out, and sends each call to the least-loaded worker.
 *
 * <p><b>Least-loaded, bounded:</b> a call goes to the worker with the fewest of this front's calls
 * outstanding (ties rotate), never to one that already has {@code maxInFlightPerWorker}; when every
 * worker is at that bound the call waits here, in a queue of at most {@code maxPending} calls (each
 * session has at most one frame in flight, so this rarely fills). Least-loaded rather than
 * round-robin because workers differ (a GPU machine next to a CPU one, a worker busy with other
 * fronts): a slow or stuck worker keeps its calls and gets no more, where round-robin would keep
 * feeding it an equal share.
 *
 * <p><b>Failover:</b> when a worker leaves or becomes unreachable, each call it had is sent once
 * more, to another worker, if the frame's deadline ({@code STREAM_FRAME_TIMEOUT_MS}) has not passed;
 * a call that finds no worker fails with "no worker available". The first answer wins; a late answer
 * from the lost worker is ignored. Answers complete the caller's future on the dispatcher, not in
 * this actor, so the rest of the pipeline never runs inside the router.
 */
public final class WorkerRouter extends AbstractBehavior<WorkerRouter.Command> {

  private static final Logger log = LoggerFactory.getLogger(WorkerRouter.class);
  /** The actor's name under /user; also a large-message destination in application.conf. */
  public static final String NAME = "framewire-remote-nodes";

  public sealed interface Command {}

  /** Answers from workers. */
  public sealed interface Reply extends Command {}

  /** Send a node call to a worker; {@code result} completes with the worker's outputs (local only). */
  public record Dispatch(NodeCall call, CompletableFuture<Map<String, Object>> result)
      implements Command, NoSerializationVerificationNeeded {}

  /** The node's outputs from a worker (a JSON object). */
  public record NodeDone(long requestId, JsonNode outputs) implements Reply, ClusterMessage {}

  /** The tool failed on the worker; {@code message} is its short description. */
  public record NodeFailed(long requestId, String message) implements Reply, ClusterMessage {}

  private record WorkersChanged(Set<ActorRef<NodeWorker.Command>> reachable)
      implements Command, NoSerializationVerificationNeeded {}

  private record Expired(long requestId) implements Command, NoSerializationVerificationNeeded {}

  /** One node on one frame, as a front sends it; {@code inputs} is a JSON object. */
  public record NodeCall(
      String nodeId, String pluginId, String toolId, String params, long frameIndex, byte[] jpeg,
      JsonNode inputs) {}

  /** The node failed on the worker: the tool's own message. */
  public static final class RemoteToolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RemoteToolException(String message) {
      super(message, null, false, false);
    }
  }

  /** No worker could take the call. */
  public static final class NoWorkerAvailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NoWorkerAvailableException(String message) {
      super(message, null, false, false);
    }
  }

  private static final class Call {
    final long id;
    final NodeCall call;
    final CompletableFuture<Map<String, Object>> result;
    final long startNanos;
    final long deadlineNanos;
    ActorRef<NodeWorker.Command> worker; // the current attempt's; null while waiting
    ActorRef<NodeWorker.Command> lost; // the worker of a lost first attempt
    int attempts;

    Call(long id, NodeCall call, CompletableFuture<Map<String, Object>> result, long startNanos, long deadlineNanos) {
      this.id = id;
      this.call = call;
      this.result = result;
      this.startNanos = startNanos;
      this.deadlineNanos = deadlineNanos;
    }
  }

  private final TimerScheduler<Command> timers;
  private final Executor completer;
  private final ClusterMetrics metrics;
  private final Duration callTimeout;
  private final int maxInFlightPerWorker;
  private final int maxPending;
  private final AtomicInteger reachableView;
  private final Map<ActorRef<NodeWorker.Command>, int[]> workers = new LinkedHashMap<>(); // worker -> {in flight}
  private final Map<Long, Call> calls = new HashMap<>();
  private final ArrayDeque<Call> pending = new ArrayDeque<>();
  private long nextId;
  private int rotation;

  /**
   * @param callTimeout a call's deadline (the frame timeout): no retry after it, and the call is
   *     dropped then if no answer came
   * @param reachableView updated with the number of reachable workers, for /health and metrics
   */
  public static Behavior<Command> create(
      ClusterMetrics metrics, Duration callTimeout, int maxInFlightPerWorker, int maxPending,
      AtomicInteger reachableView) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new WorkerRouter(ctx, timers, metrics, callTimeout, maxInFlightPerWorker, maxPending, reachableView)));
  }

  private WorkerRouter(
      ActorContext<Command> ctx, TimerScheduler<Command> timers, ClusterMetrics metrics, Duration callTimeout,
      int maxInFlightPerWorker, int maxPending, AtomicInteger reachableView) {
    super(ctx);
    this.timers = timers;
    this.completer = ctx.getSystem().executionContext();
    this.metrics = metrics;
    this.callTimeout = callTimeout;
    this.maxInFlightPerWorker = maxInFlightPerWorker;
    this.maxPending = maxPending;
    this.reachableView = reachableView;
    ActorRef<Receptionist.Listing> listings = ctx.messageAdapter(Receptionist.Listing.class,
        listing -> new WorkersChanged(listing.getServiceInstances(NodeWorker.KEY)));
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(NodeWorker.KEY, listings));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Dispatch.class, this::onDispatch)
        .onMessage(NodeDone.class, done -> onAnswer(done.requestId(), done.outputs(), null))
        .onMessage(NodeFailed.class, failed -> onAnswer(failed.requestId(), null, failed.message()))
        .onMessage(WorkersChanged.class, this::onWorkersChanged)
        .onMessage(Expired.class, this::onExpired)
        .build();
  }

  private Behavior<Command> onDispatch(Dispatch dispatch) {
    long now = System.nanoTime();
    Call call = new Call(nextId++, dispatch.call(), dispatch.result(), now, now + callTimeout.toNanos());
    calls.put(call.id, call);
    timers.startSingleTimer(call.id, new Expired(call.id), callTimeout);
    if (workers.isEmpty()) {
      fail(call, ClusterMetrics.NO_WORKER,
          new NoWorkerAvailableException("no worker available: the cluster has no reachable worker"));
    } else {
      sendOrWait(call, false);
    }
    return this;
  }

  private void sendOrWait(Call call, boolean first) {
    ActorRef<NodeWorker.Command> worker = pick(call.lost);
    if (worker != null) {
      send(call, worker);
    } else if (pending.size() >= maxPending) {
      fail(call, ClusterMetrics.SATURATED, new NoWorkerAvailableException(
          "no worker available: every worker has " + maxInFlightPerWorker + " calls from this front and "
              + maxPending + " more are waiting"));
    } else if (first) {
      pending.addFirst(call); // a retry goes before new frames
    } else {
      pending.addLast(call);
    }
  }

  /** The least-loaded worker under the bound (ties rotate), other than {@code exclude}; null if none. */
  private ActorRef<NodeWorker.Command> pick(ActorRef<NodeWorker.Command> exclude) {
    ActorRef<NodeWorker.Command> best = null;
    int bestLoad = Integer.MAX_VALUE;
    List<ActorRef<NodeWorker.Command>> order = new ArrayList<>(workers.keySet());
    int n = order.size();
    for (int i = 0; i < n; i++) {
      ActorRef<NodeWorker.Command> worker = order.get((rotation + i) % n);
      int load = workers.get(worker)[0];
      if (!worker.equals(exclude) && load < maxInFlightPerWorker && load < bestLoad) {
        best = worker;
        bestLoad = load;
      }
    }
    rotation = n == 0 ? 0 : (rotation + 1) % n;
    return best;
  }

  private void send(Call call, ActorRef<NodeWorker.Command> worker) {
    call.worker = worker;
    call.attempts++;
    workers.get(worker)[0]++;
    NodeCall c = call.call;
    worker.tell(new NodeWorker.RunNode(call.id, c.nodeId(), c.pluginId(), c.toolId(), c.params(), c.frameIndex(),
        c.jpeg(), c.inputs(), getContext().getSelf().narrow()));
  }

  private Behavior<Command> onAnswer(long requestId, JsonNode outputs, String failure) {
    Call call = calls.remove(requestId);
    if (call == null) {
      return this; // answered already (by its retry), or expired
    }
    timers.cancel(call.id);
    release(call);
    if (failure == null) {
      metrics.remoteSeconds.observe((System.nanoTime() - call.startNanos) / 1e9);
      metrics.remoteCalls.labels(ClusterMetrics.OK).inc();
      completer.execute(() -> call.result.complete(WireJson.toMap(outputs))); // converted off the actor
    } else {
      metrics.remoteCalls.labels(ClusterMetrics.TOOL_ERROR).inc();
      RemoteToolException error = new RemoteToolException(failure);
      completer.execute(() -> call.result.completeExceptionally(error));
    }
    drain();
    return this;
  }

  private Behavior<Command> onExpired(Expired expired) {
    Call call = calls.get(expired.requestId());
    if (call != null) {
      pending.remove(call);
      fail(call, ClusterMetrics.TIMEOUT, new TimeoutException(
          "no answer from a worker within " + callTimeout.toMillis() + " ms (STREAM_FRAME_TIMEOUT_MS)"));
      drain();
    }
    return this;
  }

  private Behavior<Command> onWorkersChanged(WorkersChanged changed) {
    Set<ActorRef<NodeWorker.Command>> reachable = changed.reachable();
    Set<ActorRef<NodeWorker.Command>> lost = new HashSet<>(workers.keySet());
    lost.removeAll(reachable);
    for (ActorRef<NodeWorker.Command> worker : reachable) {
      if (workers.putIfAbsent(worker, new int[1]) == null) {
        log.info("worker {} is reachable: sending it nodes ({} workers)", worker.path().address(), workers.size());
      }
    }
    for (ActorRef<NodeWorker.Command> worker : lost) {
      workers.remove(worker);
      log.warn("worker {} left or is unreachable ({} workers left)", worker.path().address(), workers.size());
    }
    reachableView.set(workers.size());
    if (!lost.isEmpty()) {
      long now = System.nanoTime();
      for (Call call : List.copyOf(calls.values())) {
        if (call.worker == null || !lost.contains(call.worker)) {
          continue;
        }
        ActorRef<NodeWorker.Command> gone = call.worker;
        call.worker = null;
        if (call.attempts >= 2) {
          fail(call, ClusterMetrics.NO_WORKER, new NoWorkerAvailableException(
              "no worker available: the frame's worker and the worker it was retried on both left"));
        } else if (workers.isEmpty()) {
          fail(call, ClusterMetrics.NO_WORKER, new NoWorkerAvailableException(
              "no worker available: worker " + gone.path().address() + " left and no other worker is reachable"));
        } else if (now - call.deadlineNanos >= 0) {
          fail(call, ClusterMetrics.TIMEOUT, new TimeoutException("worker " + gone.path().address()
              + " left after the frame's deadline (STREAM_FRAME_TIMEOUT_MS)"));
        } else {
          call.lost = gone;
          metrics.remoteRetries.inc();
          log.info("retrying node '{}' of frame {} on another worker: {} left", call.call.nodeId(),
              call.call.frameIndex(), gone.path().address());
          sendOrWait(call, true);
        }
      }
    }
    if (workers.isEmpty()) {
      while (!pending.isEmpty()) {
        fail(pending.poll(), ClusterMetrics.NO_WORKER,
            new NoWorkerAvailableException("no worker available: the cluster has no reachable worker"));
      }
    }
    drain();
    return this;
  }

  private void drain() {
    while (!pending.isEmpty()) {
      ActorRef<NodeWorker.Command> worker = pick(pending.peekFirst().lost);
      if (worker == null) {
        return;
      }
      send(pending.pollFirst(), worker);
    }
  }

  private void release(Call call) {
    if (call.worker != null) {
      int[] load = workers.get(call.worker);
      if (load != null) {
        load[0]--;
      }
      call.worker = null;
    }
  }

  private void fail(Call call, String outcome, Throwable error) {
    calls.remove(call.id);
    timers.cancel(call.id);
    release(call);
    metrics.remoteCalls.labels(outcome).inc();
    completer.execute(() -> call.result.completeExceptionally(error));
  }
}
