package io.framewire.sources;

import io.framewire.api.image.DecodedFrame;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.ddata.LWWMap;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.LWWMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One camera of the cluster: a sharded, remembered entity whose id is the source's id. It is the one
 * writer of its {@link SourceSpec} in the replicated map of specs ({@link #SPECS}); it runs the camera
 * ({@link SourceRuntime}) on whichever node sharding placed it, and publishes every answer to the
 * source's topic, which the watchers on every front subscribe to.
 *
 * <p>When it starts (a create, or sharding restarting a remembered camera after its node died or a
 * rebalance moved it) it reads its spec with majority consistency: found, it runs the camera; not
 * found, it answers "no such source" and passivates, so sharding forgets it. A delete removes the spec
 * (majority write), ends the watchers' streams and passivates. A handoff (rebalance, a node leaving)
 * stops the camera here without touching the spec or the watchers; it starts again on its new node.
 */
public final class SourceEntity extends AbstractBehavior<SourceEntity.Command> {

  private static final Logger log = LoggerFactory.getLogger(SourceEntity.class);
  static final EntityTypeKey<Command> TYPE = EntityTypeKey.create(Command.class, "live-source");
  /** Every source's spec by id, replicated to every node (durable in the state directory when set). */
  static final Key<LWWMap<String, SourceSpec>> SPECS = LWWMapKey.create("framewire-sources");
  /** Published to the topic when the source is deleted: each watcher's stream completes on it. */
  static final String STOPPED = "\u0000source-deleted";
  static final Duration MAJORITY = Duration.ofSeconds(3);

  public sealed interface Command {}

  public record Create(SourceSpec spec, ActorRef<SourceManager.CreateReply> replyTo) implements Command, SourceMessage {}

  public record Status(ActorRef<StatusReply> replyTo) implements Command, SourceMessage {}

  /** @param snapshot null: no such source */
  public record StatusReply(SourceStats.Snapshot snapshot) implements SourceMessage {}

  /** @param maxBytes a larger JPEG is not sent (one cluster message must carry it) */
  public record GetPreview(int maxBytes, ActorRef<PreviewReply> replyTo) implements Command, SourceMessage {}

  /** @param outcome a {@link LiveSources.Preview.Outcome} name; {@code jpeg} only with OK */
  public record PreviewReply(String outcome, byte[] jpeg) implements SourceMessage {}

  public record Delete(ActorRef<DeleteReply> replyTo) implements Command, SourceMessage {}

  public record DeleteReply(boolean deleted) implements SourceMessage {}

  /** A watcher joined (+1) or left (-1) on some front. */
  public record Watchers(int delta) implements Command, SourceMessage {}

  /** Sharding's stop message (handoff, or after this entity asked to passivate): stop here only. */
  enum Handoff implements Command { INSTANCE }

  private record SpecRead(Optional<SourceSpec> spec, boolean failed) implements Command {}

  private record SpecWritten(SourceSpec spec, ActorRef<SourceManager.CreateReply> replyTo, String failure) implements Command {}

  private record SpecRemoved(ActorRef<DeleteReply> replyTo) implements Command {}

  private final String id;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final ClusterSources.Host host;
  private final StashBuffer<Command> stash;
  private final ReplicatorMessageAdapter<Command, LWWMap<String, SourceSpec>> replicator;
  private final SelfUniqueAddress self;
  private boolean loaded;
  private boolean writing; // a create's or delete's write is under way: other commands wait
  private SourceRuntime runtime;
  private String since;

  static Behavior<Command> create(String id, ActorRef<ClusterSharding.ShardCommand> shard, ClusterSources.Host host) {
    return Behaviors.setup(ctx -> Behaviors.withStash(256, stash -> new SourceEntity(ctx, stash, id, shard, host)));
  }

  private SourceEntity(
      ActorContext<Command> ctx, StashBuffer<Command> stash, String id, ActorRef<ClusterSharding.ShardCommand> shard,
      ClusterSources.Host host) {
    super(ctx);
    this.id = id;
    this.shard = shard;
    this.host = host;
    this.stash = stash;
    DistributedData ddata = DistributedData.get(ctx.getSystem());
    this.self = ddata.selfUniqueAddress();
    this.replicator = new ReplicatorMessageAdapter<>(ctx, ddata.replicator(), MAJORITY.plusSeconds(2));
    read(new Replicator.ReadMajority(MAJORITY));
  }

  private void read(Replicator.ReadConsistency consistency) {
    replicator.askGet(replyTo -> new Replicator.Get<>(SPECS, consistency, replyTo), response -> {
      if (response instanceof Replicator.GetSuccess<LWWMap<String, SourceSpec>> found) {
        return new SpecRead(Optional.ofNullable(found.get(SPECS).getEntries().get(id)), false);
      }
      if (response instanceof Replicator.NotFound) {
        return new SpecRead(Optional.empty(), false);
      }
      return new SpecRead(Optional.empty(), true); // no majority in time
    });
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(SpecRead.class, this::onSpecRead)
        .onMessage(SpecWritten.class, this::onSpecWritten)
        .onMessage(SpecRemoved.class, this::onSpecRemoved)
        .onMessageEquals(Handoff.INSTANCE, () -> Behaviors.stopped())
        .onMessage(Command.class, command -> !loaded || writing, command -> {
          stash.stash(command);
          return this;
        })
        .onMessage(Create.class, this::onCreate)
        .onMessage(Status.class, status -> {
          status.replyTo().tell(new StatusReply(runtime == null ? null
              : runtime.stats().snapshot().onNode(host.node(), since)));
          return passivateIfEmpty();
        })
        .onMessage(GetPreview.class, this::onPreview)
        .onMessage(Delete.class, this::onDelete)
        .onMessage(Watchers.class, watchers -> {
          if (runtime != null) {
            runtime.stats().watchers(watchers.delta());
          }
          return this;
        })
        .onSignal(Terminated.class, terminated -> {
          // The camera's actor stopped (its supervisor gave up, or it was deleted): its watchers end.
          if (runtime != null && terminated.getRef().equals(runtime.actor())) {
            runtime.hubSwitch().shutdown();
          }
          return this;
        })
        .onSignal(PostStop.class, signal -> {
          if (runtime != null) {
            runtime.hubSwitch().shutdown();
            host.metrics().sourcesActive.dec();
          }
          return this;
        })
        .build();
  }

  private Behavior<Command> onSpecRead(SpecRead read) {
    if (read.failed()) {
      log.warn("live source '{}': no majority answered in {} ms; reading this node's replica", id, MAJORITY.toMillis());
      read(Replicator.readLocal());
      return this;
    }
    loaded = true;
    read.spec().ifPresent(this::run);
    return stash.unstashAll(this);
  }

  private void run(SourceSpec spec) {
    runtime = SourceRuntime.start(getContext(), spec, host.settings(), host.videos(), host.metrics(), host.events());
    since = Instant.now().toString();
    host.metrics().sourcesActive.inc();
    ActorRef<Topic.Command<String>> topic = host.topicFor(id);
    runtime.answers().runWith(Sink.foreach(answer -> topic.tell(Topic.publish(answer))),
        Materializer.matFromSystem(getContext().getSystem()));
    log.info("live source '{}' runs on {}", id, host.node());
  }

  private Behavior<Command> onCreate(Create create) {
    if (runtime != null) {
      create.replyTo().tell(SourceManager.exists(id));
      return this;
    }
    SourceSpec spec = create.spec();
    writing = true;
    replicator.askUpdate(
        replyTo -> new Replicator.Update<>(SPECS, LWWMap.create(), new Replicator.WriteMajority(MAJORITY), replyTo,
            specs -> specs.put(self, id, spec)),
        response -> {
          // A timeout still wrote this node's replica, which gossip spreads: the camera runs.
          if (response instanceof Replicator.UpdateSuccess || response instanceof Replicator.UpdateTimeout) {
            return new SpecWritten(spec, create.replyTo(), null);
          }
          return new SpecWritten(spec, create.replyTo(), response.getClass().getSimpleName());
        });
    return this;
  }

  private Behavior<Command> onSpecWritten(SpecWritten written) {
    writing = false;
    if (written.failure() != null) {
      written.replyTo().tell(new SourceManager.Refused(503, "not_stored",
          "the source could not be stored in the cluster (" + written.failure() + "); try again"));
      return passivateIfEmpty();
    }
    run(written.spec());
    written.replyTo().tell(new SourceManager.Created(runtime.stats().snapshot().onNode(host.node(), since)));
    return stash.unstashAll(this);
  }

  private Behavior<Command> onPreview(GetPreview request) {
    DecodedFrame frame = runtime == null ? null : runtime.stats().latestFrame();
    if (runtime == null) {
      request.replyTo().tell(new PreviewReply(LiveSources.Preview.Outcome.NOT_FOUND.name(), null));
      return passivateIfEmpty();
    }
    if (frame == null) {
      request.replyTo().tell(new PreviewReply(LiveSources.Preview.Outcome.NO_FRAME.name(), null));
      return this;
    }
    CompletableFuture.supplyAsync(frame::jpeg, host.encoder()).thenAccept(jpeg -> request.replyTo().tell(
        jpeg.length > request.maxBytes()
            ? new PreviewReply(LiveSources.Preview.Outcome.TOO_LARGE.name(), null)
            : new PreviewReply(LiveSources.Preview.Outcome.OK.name(), jpeg)));
    return this;
  }

  private Behavior<Command> onDelete(Delete delete) {
    if (runtime == null) {
      delete.replyTo().tell(new DeleteReply(false));
      return passivateIfEmpty();
    }
    writing = true;
    replicator.askUpdate(
        replyTo -> new Replicator.Update<>(SPECS, LWWMap.create(), new Replicator.WriteMajority(MAJORITY), replyTo,
            specs -> specs.remove(self, id)),
        response -> new SpecRemoved(delete.replyTo()));
    return this;
  }

  private Behavior<Command> onSpecRemoved(SpecRemoved removed) {
    writing = false;
    runtime.actor().tell(SourceActor.Stop.INSTANCE);
    host.topicFor(id).tell(Topic.publish(STOPPED));
    log.info("live source '{}' deleted", id);
    removed.replyTo().tell(new DeleteReply(true));
    shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
    return this;
  }

  /** No camera here: sharding forgets this entity (it is remembered only while it runs a camera). */
  private Behavior<Command> passivateIfEmpty() {
    if (runtime == null && !writing) {
      shard.tell(new ClusterSharding.Passivate<>(getContext().getSelf()));
    }
    return this;
  }
}
