package io.framewire.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code framewire.cluster} settings (docs/configuration.md, docs/scaling.md), read by {@code
 * io.framewire.settings.FramewireSettings}.
 *
 * <p>The cluster is on only when seed nodes are given ({@code CLUSTER_SEED_NODES}); without them
 * the process is today's single process with both roles and no cluster machinery at all (Pekko's
 * local actor provider, no remoting, no ports).
 *
 * @param roles {@code front} (HTTP, sessions, light nodes), {@code worker} (runs nodes placed on
 *     workers for every front) and/or {@code sources} (runs live cameras as sharded entities); in a
 *     cluster the default is all three, in a single process {@code front} and {@code worker}
 * @param seedNodes {@code host:port} of the seed nodes, in order
 * @param maxInFlightPerWorker most node calls one front has outstanding on one worker
 * @param maxPending most node calls a front holds while every worker is at its bound
 */
public record ClusterSettings(
    boolean enabled,
    Set<String> roles,
    String host,
    int port,
    List<String> seedNodes,
    int maxInFlightPerWorker,
    int maxPending) {

  public static final String FRONT = "front";
  public static final String WORKER = "worker";
  /** Runs live cameras (sharded entities, docs/scaling.md); only in a cluster. */
  public static final String SOURCES = "sources";
  /** The actor system's name: the same on every node, part of every cluster address. */
  public static final String SYSTEM_NAME = "framewire";

  public ClusterSettings {
    seedNodes = List.copyOf(seedNodes);
    if (roles.isEmpty()) {
      // The default: every role; the sources role only where there is a cluster to shard over.
      roles = enabled ? Set.of(FRONT, WORKER, SOURCES) : Set.of(FRONT, WORKER);
    }
    roles = Set.copyOf(roles);
    if (!Set.of(FRONT, WORKER, SOURCES).containsAll(roles)) {
      throw new IllegalArgumentException(
          "FRAMEWIRE_ROLES must be a comma list of 'front', 'worker' and 'sources', got " + roles);
    }
    if (!enabled && !roles.equals(Set.of(FRONT, WORKER)) && !roles.equals(Set.of(FRONT, WORKER, SOURCES))) {
      throw new IllegalArgumentException("FRAMEWIRE_ROLES=" + String.join(",", roles)
          + " needs a cluster: set CLUSTER_SEED_NODES (and CLUSTER_HOST, CLUSTER_PORT); see docs/scaling.md");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("CLUSTER_PORT must be 0..65535, got " + port);
    }
    if (maxInFlightPerWorker < 1 || maxPending < 0) {
      throw new IllegalArgumentException("framewire.cluster.max-in-flight-per-worker must be >= 1 and max-pending >= 0");
    }
    for (String seed : seedNodes) {
      int colon = seed.lastIndexOf(':');
      if (colon <= 0 || colon == seed.length() - 1 || !seed.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("CLUSTER_SEED_NODES entries must be host:port, got '" + seed + "'");
      }
    }
  }

  public boolean isFront() {
    return roles.contains(FRONT);
  }

  public boolean isWorker() {
    return roles.contains(WORKER);
  }

  /** Whether this node runs live cameras as sharded entities: a cluster node with the sources role. */
  public boolean runsSources() {
    return enabled && roles.contains(SOURCES);
  }

  /** Whether this process sends nodes placed on workers to other processes: a front that is not a worker. */
  public boolean sendsNodesToWorkers() {
    return enabled && isFront() && !isWorker();
  }

  /**
   * The Pekko settings that turn this process into a cluster node, layered over application.conf
   * (whose static {@code pekko.cluster} and serialization settings only matter once this is applied).
   *
   * @param maxFrameBytes the largest frame a session accepts: a frame sent to a worker must fit in
   *     one message of the large-message lane
   */
  public Config pekkoConfig(int maxFrameBytes) {
    if (!enabled) {
      return ConfigFactory.empty();
    }
    List<String> seedAddresses = seedNodes.stream().map(s -> "pekko://" + SYSTEM_NAME + "@" + s).toList();
    // Room for the request's other fields and the predecessors' outputs next to the JPEG.
    long largeFrame = Math.max(2L * 1024 * 1024, maxFrameBytes + 512L * 1024);
    Config overlay = ConfigFactory.empty()
        .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("cluster"))
        .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
        .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seedAddresses))
        .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(List.copyOf(new LinkedHashSet<>(
            roles.stream().sorted().toList()))))
        .withValue("pekko.remote.artery.advanced.maximum-large-frame-size",
            ConfigValueFactory.fromAnyRef(largeFrame + "b"));
    if (!host.isEmpty()) {
      overlay = overlay.withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host));
    }
    return overlay;
  }
}
