package io.framewire.sources;

import io.framewire.events.EventPublisher;
import io.framewire.metrics.StreamMetrics;
import io.framewire.video.VideoFilePipelineService;
import java.time.Duration;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.MergeHub;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One running camera on this node: its published {@link SourceStats}, its supervised {@link
 * SourceActor} (a child of the actor that starts it) and its hub. The hub lives as long as the
 * camera (across reconnects and restarts of its actor): the connections' answers go into a {@code
 * MergeHub}, a {@code BroadcastHub} hands them to every consumer, and one consumer always drains
 * it, so with no watcher the camera never waits. The single-process {@link SourceManager} and the
 * cluster's {@link SourceEntity} both run cameras through this.
 */
record SourceRuntime(
    SourceSpec spec,
    SourceStats stats,
    ActorRef<SourceActor.Command> actor,
    Source<String, NotUsed> answers,
    UniqueKillSwitch hubSwitch) {

  private static final int HUB_BUFFER = 64; // answers between the slowest (draining) consumer and the source

  static SourceRuntime start(
      ActorContext<?> ctx, SourceSpec spec, SourceSettings settings, VideoFilePipelineService videos,
      StreamMetrics metrics, EventPublisher events) {
    Materializer materializer = Materializer.matFromSystem(ctx.getSystem());
    SourceStats stats = new SourceStats(spec);
    // MergeHub (each connection's answers) → kill switch → BroadcastHub (the watchers), plus one drain.
    Pair<Pair<Sink<String, NotUsed>, UniqueKillSwitch>, Source<String, NotUsed>> hub =
        MergeHub.of(String.class, 16)
            .viaMat(KillSwitches.single(), Keep.both())
            .toMat(BroadcastHub.of(String.class, HUB_BUFFER), Keep.both())
            .run(materializer);
    Source<String, NotUsed> answers = hub.second();
    answers.runWith(Sink.ignore(), materializer);
    ActorRef<SourceActor.Command> actor = ctx.spawn(
        Behaviors.supervise(SourceActor.create(spec, settings, videos, stats, metrics, hub.first().first(), events))
            .onFailure(SupervisorStrategy.restart().withLimit(10, Duration.ofMinutes(1))),
        "source-" + spec.id());
    ctx.watch(actor);
    return new SourceRuntime(spec, stats, actor, answers, hub.first().second());
  }
}
