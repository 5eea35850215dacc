package io.framewire.cluster;

import io.framewire.engine.Engine;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.pipeline.store.SharedPipeline;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.LWWRegister;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares the pipelines created, replaced and deleted through any node's API with every node of the
 * cluster (docs/scaling.md, "Pipelines across nodes"), through Pekko Distributed Data: one {@link
 * LWWMap} from pipeline id to its latest {@link Entry}, a deletion kept as an entry without JSON
 * (a tombstone), never removed, so a deleted pipeline cannot come back from a node that had not seen
 * the deletion yet. The register's clock is the version (a tombstone just after the version it
 * removed), so the highest version wins everywhere whatever the machines' clocks say; two nodes
 * writing the same version at once are ordered by node address, and both end up with the winner.
 *
 * <p>The registry stays the one owner of pipelines and versions: this actor only carries its
 * changes out ({@link PipelineRegistry#share}) and the others' changes in ({@link
 * PipelineRegistry#applyShared}), on the blocking dispatcher (applying one validates it and may
 * write a file).
 */
public final class PipelineReplicator {

  /** The actor's name under the guardian. */
  public static final String NAME = "framewire-pipelines";
  /** How long a change waits for every node's acknowledgement; past it gossip still spreads it. */
  static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);

  private static final Logger log = LoggerFactory.getLogger(PipelineReplicator.class);
  private static final Key<LWWMap<String, Entry>> KEY = LWWMapKey.create("framewire-pipelines");
  private static final LWWRegister.Clock<Entry> VERSION_CLOCK = (current, entry) -> entry.order();

  /**
   * A pipeline's latest version in the replicated map: its JSON, or null once deleted. Crosses
   * nodes (jackson-cbor).
   */
  public record Entry(int version, String json) implements ClusterMessage {
    /** The register's timestamp: the version, a deletion just after the version it removed. */
    long order() {
      return 2L * version + (json == null ? 1 : 0);
    }
  }

  /** What the actor handles. */
  public sealed interface Command {}

  /** A change made through this node's API, to replicate. */
  record Publish(SharedPipeline change) implements Command {}

  private record MapChanged(Replicator.SubscribeResponse<LWWMap<String, Entry>> response) implements Command {}

  private record Written(String id, Replicator.UpdateResponse<LWWMap<String, Entry>> response) implements Command {}

  private PipelineReplicator() {}

  /**
   * Starts sharing {@code registry} with the cluster: spawns the actor under {@code ctx} and hands the
   * registry its link. Cluster nodes only.
   */
  public static ActorRef<Command> start(ActorContext<?> ctx, PipelineRegistry registry) {
    ActorRef<Command> actor = ctx.spawn(create(registry), NAME,
        DispatcherSelector.fromConfig(Engine.BLOCKING_DISPATCHER));
    registry.share(change -> actor.tell(new Publish(change)));
    return actor;
  }

  static Behavior<Command> create(PipelineRegistry registry) {
    return Behaviors.setup(ctx -> DistributedData.<Command, LWWMap<String, Entry>>withReplicatorMessageAdapter(
        adapter -> {
          adapter.subscribe(KEY, MapChanged::new);
          SelfUniqueAddress self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
          return Behaviors.receive(Command.class)
              .onMessage(Publish.class, publish -> publish(adapter, self, publish.change()))
              .onMessage(MapChanged.class, changed -> applied(registry, changed.response()))
              .onMessage(Written.class, written -> written(written))
              .build();
        }));
  }

  private static Behavior<Command> publish(
      ReplicatorMessageAdapter<Command, LWWMap<String, Entry>> adapter, SelfUniqueAddress self, SharedPipeline change) {
    Entry entry = new Entry(change.version(), change.deleted() ? null : PipelineJson.write(change.definition()));
    adapter.askUpdate(
        replyTo -> new Replicator.Update<>(KEY, LWWMap.create(), new Replicator.WriteAll(WRITE_TIMEOUT), replyTo,
            map -> map.put(self, change.id(), entry, VERSION_CLOCK)),
        response -> new Written(change.id(), response));
    return Behaviors.same();
  }

  private static Behavior<Command> applied(
      PipelineRegistry registry, Replicator.SubscribeResponse<LWWMap<String, Entry>> response) {
    if (response instanceof Replicator.Changed<LWWMap<String, Entry>> changed) {
      // The whole map each time: applying a version this node has is a no-op.
      for (Map.Entry<String, Entry> e : changed.get(KEY).getEntries().entrySet()) {
        Entry entry = e.getValue();
        try {
          registry.applyShared(new SharedPipeline(e.getKey(), entry.version(),
              entry.json() == null ? null : PipelineJson.read(entry.json())));
        } catch (RuntimeException failure) {
          // Unreadable JSON, a directory that refuses the write: this pipeline stays as it was here.
          log.warn("shared pipeline '{}' version {} not applied here: {}", e.getKey(), entry.version(),
              failure.getMessage());
        }
      }
    }
    return Behaviors.same();
  }

  private static Behavior<Command> written(Written written) {
    if (!(written.response() instanceof Replicator.UpdateSuccess)) {
      // Stored here; gossip brings it to the nodes that did not acknowledge in time.
      log.info("pipeline '{}' is not yet acknowledged by every node ({}); gossip will bring it to them",
          written.id(), written.response().getClass().getSimpleName());
    }
    return Behaviors.same();
  }
}
