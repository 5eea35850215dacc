package io.framewire.sources;

import io.framewire.api.image.DecodedFrame;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/** This process's cameras: one ask of the {@link SourceManager} per request. */
public final class LocalSources implements LiveSources {

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final ActorRef<SourceManager.Command> manager;
  private final Executor encoder; // JPEG encoding blocks: never on the default dispatcher

  public LocalSources(ActorSystem<?> system, ActorRef<SourceManager.Command> manager, Executor encoder) {
    this.system = system;
    this.manager = manager;
    this.encoder = encoder;
  }

  @Override
  public CompletionStage<SourceManager.CreateReply> create(String id, String url, String pipelineId) {
    return ask(replyTo -> new SourceManager.Create(id, url, pipelineId, replyTo));
  }

  @Override
  public CompletionStage<List<SourceStats.Snapshot>> list() {
    return ask(SourceManager.ListSources::new);
  }

  @Override
  public CompletionStage<Optional<SourceStats.Snapshot>> get(String id) {
    return this.<Optional<SourceStats>>ask(replyTo -> new SourceManager.Get(id, replyTo))
        .thenApply(stats -> stats.map(SourceStats::snapshot));
  }

  @Override
  public CompletionStage<Boolean> delete(String id) {
    return ask(replyTo -> new SourceManager.Delete(id, replyTo));
  }

  @Override
  public CompletionStage<Preview> preview(String id) {
    return this.<Optional<SourceStats>>ask(replyTo -> new SourceManager.Get(id, replyTo))
        .thenCompose(stats -> preview(stats, encoder));
  }

  /** Encoded on request, from the newest frame: a source never encodes JPEG for nobody. */
  static CompletionStage<Preview> preview(Optional<SourceStats> stats, Executor encoder) {
    if (stats.isEmpty()) {
      return CompletableFuture.completedFuture(Preview.of(Preview.Outcome.NOT_FOUND));
    }
    DecodedFrame frame = stats.get().latestFrame();
    if (frame == null) {
      return CompletableFuture.completedFuture(Preview.of(Preview.Outcome.NO_FRAME));
    }
    return CompletableFuture.supplyAsync(() -> new Preview(Preview.Outcome.OK, frame.jpeg()), encoder);
  }

  @Override
  public CompletionStage<Optional<Watch>> watch(String id) {
    return this.<Optional<SourceManager.Watched>>ask(replyTo -> new SourceManager.Watch(id, replyTo))
        .thenApply(watched -> watched.map(w -> new Watch(w.answers(), w.stats()::watcherJoined, w.stats()::watcherLeft)));
  }

  private <T> CompletionStage<T> ask(org.apache.pekko.japi.function.Function<ActorRef<T>, SourceManager.Command> message) {
    return AskPattern.ask(manager, message::apply, ASK_TIMEOUT, system.scheduler());
  }
}
