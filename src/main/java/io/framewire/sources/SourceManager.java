package io.framewire.sources;

import io.framewire.events.EventPublisher;
import io.framewire.metrics.StreamMetrics;
import io.framewire.video.VideoFilePipelineService;
import io.framewire.video.VideoInputs;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sources: admits up to {@code max}, spawns and watches one supervised {@link SourceActor}
 * per source, keeps {@code sources.json} (if a state directory is set) and restores the sources from
 * it at start.
 *
 * <p>Each source runs as a {@link SourceRuntime}: its actor, its stats and its hub of answers. This
 * is the single process's way; a cluster node with the {@code sources} role runs cameras as sharded
 * {@link SourceEntity}s instead ({@link ClusterSources}).
 *
 * <p>Status and watch requests are answered from the source's published {@link SourceStats} and hub,
 * without asking the source's actor.
 */
public final class SourceManager extends AbstractBehavior<SourceManager.Command> {

  private static final Logger log = LoggerFactory.getLogger(SourceManager.class);
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

  public sealed interface Command {}

  public record Create(String id, String url, String pipelineId, ActorRef<CreateReply> replyTo) implements Command {}

  public record ListSources(ActorRef<List<SourceStats.Snapshot>> replyTo) implements Command {}

  public record Get(String id, ActorRef<Optional<SourceStats>> replyTo) implements Command {}

  public record Delete(String id, ActorRef<Boolean> replyTo) implements Command {}

  /** A watcher's answers of a source: empty if there is no such source. */
  public record Watch(String id, ActorRef<Optional<Watched>> replyTo) implements Command {}

  public record Watched(SourceStats stats, Source<String, NotUsed> answers) {}

  /** The answer to a create, here or (serialized) from a cluster node. */
  public sealed interface CreateReply extends SourceMessage {}

  public record Created(SourceStats.Snapshot source) implements CreateReply {}

  /** @param status the HTTP status that fits: 400 bad request, 409 id taken, 429 too many, 503 not now */
  public record Refused(int status, String error, String detail) implements CreateReply {}

  private final SourceSettings settings;
  private final VideoFilePipelineService videos;
  private final StreamMetrics metrics;
  private final EventPublisher events;
  private final Optional<SourcesStore> store;
  private final Map<String, SourceRuntime> sources = new LinkedHashMap<>();
  private final Map<ActorRef<?>, SourceRuntime> byActor = new java.util.HashMap<>();

  public static Behavior<Command> create(SourceSettings settings, VideoFilePipelineService videos, StreamMetrics metrics) {
    return create(settings, videos, metrics, EventPublisher.NONE);
  }

  /** With the cameras' events published to {@code events} (each as {@code source:<id>}). */
  public static Behavior<Command> create(
      SourceSettings settings, VideoFilePipelineService videos, StreamMetrics metrics, EventPublisher events) {
    return Behaviors.setup(ctx -> new SourceManager(ctx, settings, videos, metrics, events));
  }

  private SourceManager(
      ActorContext<Command> ctx, SourceSettings settings, VideoFilePipelineService videos, StreamMetrics metrics,
      EventPublisher events) {
    super(ctx);
    this.events = events;
    this.settings = settings;
    this.videos = videos;
    this.metrics = metrics;
    this.store = settings.stateDir().map(SourcesStore::new);
    store.ifPresent(this::restore);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Create.class, create -> {
          create.replyTo().tell(onCreate(create.id(), create.url(), create.pipelineId(), true));
          return this;
        })
        .onMessage(ListSources.class, list -> {
          list.replyTo().tell(sources.values().stream().map(e -> e.stats().snapshot()).toList());
          return this;
        })
        .onMessage(Get.class, get -> {
          get.replyTo().tell(Optional.ofNullable(sources.get(get.id())).map(SourceRuntime::stats));
          return this;
        })
        .onMessage(Watch.class, watch -> {
          watch.replyTo().tell(Optional.ofNullable(sources.get(watch.id()))
              .map(e -> new Watched(e.stats(), e.answers())));
          return this;
        })
        .onMessage(Delete.class, this::onDelete)
        .onSignal(Terminated.class, this::onSourceStopped)
        .build();
  }

  private void restore(SourcesStore from) {
    List<SourceSpec> saved;
    try {
      saved = from.load();
    } catch (UncheckedIOException e) {
      log.error("live sources not restored: {}", e.getMessage());
      return;
    }
    for (SourceSpec spec : saved) {
      CreateReply reply = onCreate(spec.id(), spec.url(), spec.pipelineId(), false);
      if (reply instanceof Refused refused) {
        log.warn("live source '{}' from {} not restored: {}", spec.id(), from.file(), refused.detail());
      }
    }
    if (!saved.isEmpty()) {
      log.info("restored {} live source(s) from {}", sources.size(), from.file());
    }
  }

  private CreateReply onCreate(String requestedId, String url, String pipelineId, boolean persist) {
    String id = requestedId == null ? newId() : requestedId;
    Refused refused = refusal(id, url, pipelineId, videos);
    if (refused != null) {
      return refused;
    }
    if (sources.containsKey(id)) {
      return exists(id);
    }
    if (sources.size() >= settings.max()) {
      return new Refused(429, "too_many_sources",
          "the server already runs " + settings.max() + " live sources (SOURCES_MAX); delete one first");
    }
    SourceRuntime runtime = SourceRuntime.start(getContext(), new SourceSpec(id, url, pipelineId), settings, videos,
        metrics, events);
    sources.put(id, runtime);
    byActor.put(runtime.actor(), runtime);
    metrics.sourcesActive.inc();
    log.info("live source '{}' added: {} through pipeline '{}'", id, VideoInputs.masked(url), pipelineId);
    if (persist) {
      save();
    }
    return new Created(runtime.stats().snapshot());
  }

  /** A new source's id when the request names none. */
  static String newId() {
    return UUID.randomUUID().toString().substring(0, 8);
  }

  /** Why a source with this id, URL and pipeline cannot exist anywhere (400), or null if it can. */
  static Refused refusal(String id, String url, String pipelineId, VideoFilePipelineService videos) {
    String problem = VideoInputs.problemWithLiveUrl(url);
    if (problem != null) {
      return new Refused(400, "invalid_url", problem);
    }
    if (pipelineId == null || !videos.isValidPipeline(pipelineId)) {
      return new Refused(400, "invalid_pipeline",
          pipelineId == null ? "pipeline_id is required" : "unknown pipeline '" + pipelineId + "'");
    }
    if (!ID.matcher(id).matches()) {
      return new Refused(400, "invalid_id", "id must be 1-64 letters, digits, '_', '-' or '.', starting with a letter or digit");
    }
    return null;
  }

  static Refused exists(String id) {
    return new Refused(409, "source_exists", "a source with id '" + id + "' already exists");
  }

  private Behavior<Command> onDelete(Delete delete) {
    SourceRuntime entry = sources.remove(delete.id());
    if (entry == null) {
      delete.replyTo().tell(false);
      return this;
    }
    entry.actor().tell(SourceActor.Stop.INSTANCE);
    save();
    delete.replyTo().tell(true);
    return this;
  }

  /** However a source's actor stopped (deleted, or its supervisor gave up): its hub ends, its slot frees. */
  private Behavior<Command> onSourceStopped(Terminated terminated) {
    SourceRuntime entry = byActor.remove(terminated.getRef());
    if (entry != null) {
      entry.hubSwitch().shutdown(); // every watcher's stream completes (they get source_stopped)
      metrics.sourcesActive.dec();
      if (sources.get(entry.spec().id()) == entry) {
        sources.remove(entry.spec().id());
        log.error("live source '{}' stopped after repeated failures of its actor", entry.spec().id());
        save();
      }
    }
    return this;
  }

  private void save() {
    store.ifPresent(s -> {
      try {
        s.save(new ArrayList<>(sources.values().stream().map(SourceRuntime::spec).toList()));
      } catch (UncheckedIOException e) {
        log.error("live sources not saved: {}", e.getMessage());
      }
    });
  }
}
