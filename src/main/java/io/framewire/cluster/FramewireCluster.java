package io.framewire.cluster;

import io.framewire.metrics.ClusterMetrics;
import io.framewire.engine.RemoteNodes;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.pipeline.store.PipelineRegistry;
import io.prometheus.client.CollectorRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's part in a Pekko Cluster (docs/scaling.md): a worker registers a {@link NodeWorker};
 * a front that is not itself a worker starts a {@link WorkerRouter} and runs the nodes placed on
 * workers through it ({@link #remoteNodes()}); every node shares its pipelines with the others
 * ({@link PipelineReplicator}). Created only when the cluster is configured.
 */
public final class FramewireCluster {

  private static final Logger log = LoggerFactory.getLogger(FramewireCluster.class);

  private final ActorSystem<?> system;
  private final ClusterSettings settings;
  private final ActorRef<WorkerRouter.Command> router; // null unless this front sends nodes to workers
  private final AtomicInteger routerWorkers = new AtomicInteger();
  private final ClusterMetrics metrics;

  private FramewireCluster(
      ActorContext<?> ctx, ClusterSettings settings, PipelineRegistry pipelines, Executor blocking,
      CollectorRegistry registry, Duration callTimeout, Duration shutdownDeadline) {
    ToolRegistry tools = pipelines.tools();
    this.system = ctx.getSystem();
    this.settings = settings;
    this.metrics = new ClusterMetrics(registry, this::workersReachable);
    Cluster cluster = Cluster.get(system); // joins the seed nodes of pekko.cluster.seed-nodes
    log.info("cluster node {} with roles {}, seed nodes {}", cluster.selfMember().address(),
        settings.roles(), settings.seedNodes());
    PipelineReplicator.start(ctx, pipelines);
    if (settings.isWorker()) {
      WorkerNodeRunner runner = new WorkerNodeRunner(tools, blocking);
      ActorRef<NodeWorker.Command> worker = ctx.spawn(NodeWorker.create(runner, metrics), NodeWorker.NAME);
      // Leaving gracefully: fronts stop choosing this worker, calls already here finish, then the
      // node leaves the cluster; a call that arrives after that is retried by its front elsewhere.
      CoordinatedShutdown.get(system).addTask(
          CoordinatedShutdown.PhaseBeforeClusterShutdown(), "framewire-worker-drain", () -> {
            worker.tell(new NodeWorker.Deregister());
            runner.close();
            return runner.whenIdleAfterClose().toCompletableFuture()
                .completeOnTimeout(null, Math.max(100, shutdownDeadline.toMillis() - 1000), TimeUnit.MILLISECONDS)
                .thenApply(idle -> Done.getInstance());
          });
    }
    if (settings.sendsNodesToWorkers()) {
      router = ctx.spawn(WorkerRouter.create(metrics, callTimeout, settings.maxInFlightPerWorker(),
          settings.maxPending(), routerWorkers), WorkerRouter.NAME);
    } else {
      router = null;
    }
  }

  /**
   * Joins the cluster and starts this node's roles. Call from the guardian.
   *
   * @param callTimeout a remote node call's deadline: the frame timeout
   */
  public static FramewireCluster start(
      ActorContext<?> ctx, ClusterSettings settings, PipelineRegistry pipelines, Executor blocking,
      CollectorRegistry registry, Duration callTimeout, Duration shutdownDeadline) {
    if (!settings.enabled()) {
      throw new IllegalArgumentException("the cluster is not configured (no CLUSTER_SEED_NODES)");
    }
    return new FramewireCluster(ctx, settings, pipelines, blocking, registry, callTimeout, shutdownDeadline);
  }

  /** How the pipeline engine runs nodes placed on workers here. */
  public RemoteNodes remoteNodes() {
    if (router == null) {
      return RemoteNodes.NONE; // a worker itself: placement is local
    }
    return node -> new RemoteNodeTool(node, router);
  }

  public ClusterMetrics metrics() {
    return metrics;
  }

  /** Workers this node can use: the router's view on a front, else reachable Up members with the role. */
  public int workersReachable() {
    if (router != null) {
      return routerWorkers.get();
    }
    ClusterEvent.CurrentClusterState state = Cluster.get(system).state();
    Set<Member> unreachable = state.getUnreachable();
    int count = 0;
    for (Member member : state.getMembers()) {
      if (member.hasRole(ClusterSettings.WORKER) && member.status() == MemberStatus.up() && !unreachable.contains(member)) {
        count++;
      }
    }
    return count;
  }

  /** The cluster view for {@code /health}. */
  public Map<String, Object> health() {
    Cluster cluster = Cluster.get(system);
    ClusterEvent.CurrentClusterState state = cluster.state();
    Set<Member> unreachable = state.getUnreachable();
    List<Map<String, Object>> members = new ArrayList<>();
    for (Member member : state.getMembers()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("address", member.address().toString());
      m.put("status", member.status().toString());
      m.put("roles", member.getRoles().stream().filter(r -> !r.startsWith("dc-")).sorted().toList());
      m.put("reachable", !unreachable.contains(member));
      members.add(m);
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("roles", settings.roles().stream().sorted().toList());
    view.put("self", cluster.selfMember().address().toString());
    view.put("status", cluster.selfMember().status().toString());
    view.put("leader", state.getLeader() == null ? null : state.getLeader().toString());
    view.put("members", members);
    view.put("workers_reachable", workersReachable());
    return view;
  }
}
