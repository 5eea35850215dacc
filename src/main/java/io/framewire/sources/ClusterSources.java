package io.framewire.sources;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.framewire.events.EventPublisher;
import io.framewire.metrics.StreamMetrics;
import io.framewire.video.VideoFilePipelineService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * The cluster's cameras seen from any node (docs/scaling.md): cameras run as sharded, remembered
 * {@link SourceEntity}s on the nodes with the {@code sources} role, one shard per camera (so the
 * least-shards allocation spreads cameras evenly and a rebalance moves single cameras); their specs
 * live in a replicated map (Distributed Data), durable on each node when a state directory is set.
 * Every request of {@code /sources} on any front is a few messages: a read of the replicated map and
 * one message to each camera concerned. Watchers subscribe to the source's topic (distributed
 * pub-sub), so their answers come from wherever the camera runs, also after it moved.
 */
public final class ClusterSources implements LiveSources {

  private static final Duration ASK = Duration.ofSeconds(5);
  private static final Duration WRITE_ASK = SourceEntity.MAJORITY.multipliedBy(3);
  /** A preview travels in one ordinary cluster message (Artery's maximum-frame-size: 256 KiB). */
  static final int MAX_PREVIEW_BYTES = 240 * 1024;

  /** What a camera entity needs from its node. */
  record Host(
      SourceSettings settings, VideoFilePipelineService videos, StreamMetrics metrics, EventPublisher events,
      Executor encoder, String node, ClusterSources sources) {

    ActorRef<Topic.Command<String>> topicFor(String id) {
      return sources.topicFor(id);
    }
  }

  private final ActorSystem<?> system;
  private final SourceSettings settings;
  private final VideoFilePipelineService videos;
  private final String role;
  private final ClusterSharding sharding;
  private final ActorRef<Replicator.Command> replicator;
  private final Map<String, ActorRef<Topic.Command<String>>> topics = new ConcurrentHashMap<>();

  private ClusterSources(ActorSystem<?> system, SourceSettings settings, VideoFilePipelineService videos, String role) {
    this.system = system;
    this.settings = settings;
    this.videos = videos;
    this.role = role;
    this.sharding = ClusterSharding.get(system);
    this.replicator = DistributedData.get(system).replicator();
  }

  /**
   * Starts this node's part: the cameras' shard region on a node with {@code role}, else a proxy to
   * the regions of the nodes that have it.
   */
  public static ClusterSources start(
      ActorSystem<?> system, String role, SourceSettings settings, VideoFilePipelineService videos,
      StreamMetrics metrics, EventPublisher events, Executor encoder) {
    ClusterSources sources = new ClusterSources(system, settings, videos, role);
    Address self = Cluster.get(system).selfMember().address();
    String node = self.getHost().orElse("?") + ":" + self.getPort().map(String::valueOf).orElse("?");
    Host host = new Host(settings, videos, metrics, events, encoder, node, sources);
    sources.sharding.init(Entity.of(SourceEntity.TYPE, ctx -> SourceEntity.create(ctx.getEntityId(), ctx.getShard(), host))
        .withRole(role)
        .withStopMessage(SourceEntity.Handoff.INSTANCE)
        .withMessageExtractor(new OneShardPerSource())
        .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
    return sources;
  }

  /**
   * The Pekko settings of the cameras' replicated state: durable (LMDB files under the state
   * directory, so a restart of every node keeps the cameras) when {@code SOURCES_STATE_DIR} is set,
   * in memory only (surviving any node's death while one node of the cluster lives) when not.
   */
  public static Config pekkoConfig(SourceSettings settings) {
    if (settings.stateDir().isEmpty()) {
      return ConfigFactory.empty()
          .withValue("pekko.cluster.sharding.distributed-data.durable.keys", ConfigValueFactory.fromIterable(List.of()));
    }
    Path dir = settings.stateDir().get();
    return ConfigFactory.empty()
        // The pipelines' map too (cluster.PipelineReplicator's key): a remembered camera comes back
        // after a restart of every node with the pipeline it ran, also one made through the API.
        .withValue("pekko.cluster.distributed-data.durable.keys",
            ConfigValueFactory.fromIterable(List.of(SourceEntity.SPECS.id(), "framewire-pipelines")))
        .withValue("pekko.cluster.distributed-data.durable.lmdb.dir",
            ConfigValueFactory.fromAnyRef(dir.resolve("cluster-sources").toString()))
        .withValue("pekko.cluster.sharding.distributed-data.durable.lmdb.dir",
            ConfigValueFactory.fromAnyRef(dir.resolve("cluster-shards").toString()));
  }

  /** One shard per camera: the allocation strategy balances cameras, a rebalance moves one camera. */
  private static final class OneShardPerSource
      extends ShardingMessageExtractor<ShardingEnvelope<SourceEntity.Command>, SourceEntity.Command> {
    @Override
    public String entityId(ShardingEnvelope<SourceEntity.Command> envelope) {
      return envelope.entityId();
    }

    @Override
    public String shardId(String entityId) {
      return entityId;
    }

    @Override
    public SourceEntity.Command unwrapMessage(ShardingEnvelope<SourceEntity.Command> envelope) {
      return envelope.message();
    }
  }

  /** This node's topic actor of a source (one per source and node; distributed pub-sub joins them). */
  ActorRef<Topic.Command<String>> topicFor(String id) {
    return topics.computeIfAbsent(id, key -> system.systemActorOf(
        Topic.create(String.class, "framewire-source-" + key), "source-topic-" + key, Props.empty()));
  }

  @Override
  public CompletionStage<SourceManager.CreateReply> create(String requestedId, String url, String pipelineId) {
    String id = requestedId == null ? SourceManager.newId() : requestedId;
    SourceManager.Refused refused = SourceManager.refusal(id, url, pipelineId, videos);
    if (refused != null) {
      return CompletableFuture.completedFuture(refused);
    }
    return specs(Replicator.readLocal(), true).thenCompose(specs -> {
      if (specs.containsKey(id)) {
        return CompletableFuture.completedFuture(SourceManager.exists(id));
      }
      int nodes = sourceNodes();
      long capacity = (long) nodes * settings.max();
      if (specs.size() >= capacity) {
        return CompletableFuture.completedFuture(new SourceManager.Refused(429, "too_many_sources",
            "the cluster already runs " + specs.size() + " live sources: " + settings.max() + " (SOURCES_MAX) on each of "
                + nodes + " node(s) with the sources role; delete one or add a node"));
      }
      return entity(id).<SourceManager.CreateReply>ask(
          replyTo -> new SourceEntity.Create(new SourceSpec(id, url, pipelineId), replyTo), WRITE_ASK)
          .exceptionally(failure -> unavailable());
    });
  }

  @Override
  public CompletionStage<List<SourceStats.Snapshot>> list() {
    return specs(new Replicator.ReadMajority(SourceEntity.MAJORITY)).thenCompose(specs -> {
      List<CompletableFuture<SourceStats.Snapshot>> each = new ArrayList<>();
      for (SourceSpec spec : specs.values()) {
        each.add(status(spec).toCompletableFuture());
      }
      return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> each.stream()
          .map(CompletableFuture::join)
          .filter(s -> s != null)
          .sorted(Comparator.comparing(SourceStats.Snapshot::id))
          .toList());
    });
  }

  @Override
  public CompletionStage<Optional<SourceStats.Snapshot>> get(String id) {
    return spec(id).thenCompose(spec -> spec.isEmpty()
        ? CompletableFuture.completedFuture(Optional.empty())
        : status(spec.get()).thenApply(Optional::ofNullable));
  }

  /** A camera's snapshot from its node; {@code unknown} while it does not answer (moving). */
  private CompletionStage<SourceStats.Snapshot> status(SourceSpec spec) {
    return entity(spec.id()).<SourceEntity.StatusReply>ask(SourceEntity.Status::new, ASK)
        .thenApply(SourceEntity.StatusReply::snapshot)
        .exceptionally(failure -> SourceStats.Snapshot.unknown(spec));
  }

  @Override
  public CompletionStage<Boolean> delete(String id) {
    return spec(id).thenCompose(spec -> spec.isEmpty()
        ? CompletableFuture.completedFuture(false)
        : entity(id).<SourceEntity.DeleteReply>ask(SourceEntity.Delete::new, WRITE_ASK).thenApply(SourceEntity.DeleteReply::deleted));
  }

  @Override
  public CompletionStage<Preview> preview(String id) {
    return spec(id).thenCompose(spec -> spec.isEmpty()
        ? CompletableFuture.completedFuture(Preview.of(Preview.Outcome.NOT_FOUND))
        : entity(id).<SourceEntity.PreviewReply>ask(replyTo -> new SourceEntity.GetPreview(MAX_PREVIEW_BYTES, replyTo), ASK)
            .thenApply(reply -> new Preview(Preview.Outcome.valueOf(reply.outcome()), reply.jpeg())));
  }

  @Override
  public CompletionStage<Optional<Watch>> watch(String id) {
    return spec(id).thenApply(spec -> spec.map(s -> {
      // This watcher's own bounded buffer (its oldest answers dropped when it lags), fed by the topic.
      Source<String, NotUsed> answers = ActorSource.<String>actorRef(
              SourceEntity.STOPPED::equals, answer -> Optional.empty(), settings.watcherBuffer(), OverflowStrategy.dropHead())
          .mapMaterializedValue(watcher -> {
            topicFor(id).tell(Topic.subscribe(watcher));
            return NotUsed.getInstance();
          });
      EntityRef<SourceEntity.Command> camera = entity(id);
      return new Watch(answers, () -> camera.tell(new SourceEntity.Watchers(1)), () -> camera.tell(new SourceEntity.Watchers(-1)));
    }));
  }

  private EntityRef<SourceEntity.Command> entity(String id) {
    return sharding.entityRefFor(SourceEntity.TYPE, id);
  }

  private static SourceManager.CreateReply unavailable() {
    return new SourceManager.Refused(503, "cluster_unavailable",
        "no node with the sources role answered in time; try again");
  }

  /** Up, reachable members with the sources role: the cluster's capacity is SOURCES_MAX times these. */
  private int sourceNodes() {
    var state = Cluster.get(system).state();
    int count = 0;
    for (Member member : state.getMembers()) {
      if (member.hasRole(role) && member.status() == MemberStatus.up() && !state.getUnreachable().contains(member)) {
        count++;
      }
    }
    return count;
  }

  /** One source's spec: this node's replica first, a majority's when this one lacks it (just created elsewhere). */
  private CompletionStage<Optional<SourceSpec>> spec(String id) {
    return specs(Replicator.readLocal(), true).thenCompose(local -> local.containsKey(id)
        ? CompletableFuture.completedFuture(Optional.of(local.get(id)))
        : specs(new Replicator.ReadMajority(SourceEntity.MAJORITY)).thenApply(m -> Optional.ofNullable(m.get(id))));
  }

  /** Every spec; a read that finds no majority in time falls back to this node's replica. */
  private CompletionStage<Map<String, SourceSpec>> specs(Replicator.ReadConsistency consistency) {
    return specs(consistency, false);
  }

  private CompletionStage<Map<String, SourceSpec>> specs(Replicator.ReadConsistency consistency, boolean local) {
    CompletionStage<Replicator.GetResponse<LWWMap<String, SourceSpec>>> got = AskPattern.ask(replicator,
        replyTo -> new Replicator.Get<>(SourceEntity.SPECS, consistency, replyTo), ASK, system.scheduler());
    return got.thenCompose(response -> {
      if (response instanceof Replicator.GetSuccess<LWWMap<String, SourceSpec>> found) {
        return CompletableFuture.completedFuture(found.get(SourceEntity.SPECS).getEntries());
      }
      if (response instanceof Replicator.GetFailure && !local) {
        return specs(Replicator.readLocal(), true);
      }
      return CompletableFuture.completedFuture(Map.<String, SourceSpec>of());
    });
  }
}
