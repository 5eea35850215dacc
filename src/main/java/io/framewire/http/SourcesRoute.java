package io.framewire.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.sources.SourceManager;
import io.framewire.sources.SourceSettings;
import io.framewire.sources.SourceStats;
import io.framewire.streaming.AnswerEncoder;
import io.framewire.streaming.StreamError;
import io.framewire.streaming.StreamSettings;
import io.framewire.api.image.DecodedFrame;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * Live sources: {@code POST /sources} ({"url", "pipeline_id"[, "id"]} → 201), {@code GET /sources},
 * {@code GET /sources/{id}}, {@code DELETE /sources/{id}} (204), {@code GET /sources/{id}/preview.jpg}
 * (the newest decoded frame, encoded on request), and {@code GET /ws/sources/{id}}: a WebSocket that
 * streams the source's answers to any number of watchers. Mutations follow {@link AdminAccess};
 * watchers follow the stream's access rule (allowed origins, stream token). Each request asks the
 * {@link SourceManager} once; nothing here runs per frame.
 */
public final class SourcesRoute extends AllDirectives {

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final ActorRef<SourceManager.Command> manager;
  private final SourceSettings settings;
  private final AdminAccess admin;
  private final StreamAccess streamAccess;
  private final ObjectMapper mapper;
  private final java.util.concurrent.Executor encoder; // JPEG encoding blocks: never on the default dispatcher

  public SourcesRoute(
      ActorSystem<?> system,
      ActorRef<SourceManager.Command> manager,
      SourceSettings settings,
      StreamSettings streamSettings,
      AdminAccess admin,
      ObjectMapper mapper,
      java.util.concurrent.Executor encoder) {
    this.system = system;
    this.manager = manager;
    this.settings = settings;
    this.admin = admin;
    this.streamAccess = new StreamAccess(streamSettings);
    this.mapper = mapper;
    this.encoder = encoder;
  }

  public Route route() {
    return concat(
        pathPrefix("sources", () -> concat(
            pathEndOrSingleSlash(() -> concat(
                get(() -> onSuccess(this.<java.util.List<SourceStats.Snapshot>>ask(SourceManager.ListSources::new),
                    list -> json(StatusCodes.OK, list))),
                post(() -> admin.guard(() -> entity(Unmarshaller.entityToString(), this::create))))),
            path(PathMatchers.segment(), id -> concat(
                get(() -> onSuccess(this.<Optional<SourceStats>>ask(replyTo -> new SourceManager.Get(id, replyTo)),
                    stats -> stats.<Route>map(s -> json(StatusCodes.OK, s.snapshot())).orElseGet(() -> notFound(id)))),
                delete(() -> admin.guard(() -> onSuccess(this.<Boolean>ask(replyTo -> new SourceManager.Delete(id, replyTo)),
                    deleted -> deleted ? complete(StatusCodes.NO_CONTENT) : notFound(id)))))),
            // Camera pictures: the same access rule as the answers (allowed origins, stream token).
            path(PathMatchers.segment().slash("preview.jpg"), id -> get(() -> streamGuard(() ->
                onSuccess(this.<Optional<SourceStats>>ask(replyTo -> new SourceManager.Get(id, replyTo)),
                    stats -> preview(id, stats))))))),
        path(PathMatchers.segment("ws").slash("sources").slash(PathMatchers.segment()), this::watch));
  }

  private Route create(String body) {
    JsonNode request;
    try {
      request = mapper.readTree(body);
    } catch (Exception e) {
      request = null;
    }
    if (request == null || !request.isObject()) {
      return error(StatusCodes.BAD_REQUEST, "invalid_request",
          "the body must be a JSON object {\"url\": \"rtsp://…\", \"pipeline_id\": \"…\"}");
    }
    String url = text(request, "url");
    String pipelineId = text(request, "pipeline_id");
    String id = text(request, "id");
    return onSuccess(this.<SourceManager.CreateReply>ask(replyTo -> new SourceManager.Create(id, url, pipelineId, replyTo)), reply -> {
      if (reply instanceof SourceManager.Created created) {
        return respondWithHeader(Location.create("/sources/" + created.source().id()),
            () -> json(StatusCodes.CREATED, created.source()));
      }
      SourceManager.Refused refused = (SourceManager.Refused) reply;
      return error(StatusCodes.get(refused.status()), refused.error(), refused.detail());
    });
  }

  private static String text(JsonNode request, String field) {
    JsonNode value = request.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  private Route preview(String id, Optional<SourceStats> stats) {
    if (stats.isEmpty()) {
      return notFound(id);
    }
    DecodedFrame frame = stats.get().latestFrame();
    if (frame == null) {
      return error(StatusCodes.NOT_FOUND, "no_frame", "source '" + id + "' has not decoded a frame yet");
    }
    // Encoded here, on request, from the newest frame: the source never encodes JPEG for nobody.
    return respondWithHeader(CacheControl.create(CacheDirectives.NO_STORE), () -> completeWithFuture(
        java.util.concurrent.CompletableFuture.supplyAsync(frame::jpeg, encoder)
            .thenApply(jpeg -> HttpResponse.create().withEntity(HttpEntities.create(
                org.apache.pekko.http.javadsl.model.ContentTypes.create(MediaTypes.IMAGE_JPEG), jpeg)))));
  }

  private Route watch(String id) {
    return streamGuard(() -> get(() -> extractWebSocketUpgrade(upgrade -> onSuccess(
        this.<Optional<SourceManager.Watched>>ask(replyTo -> new SourceManager.Watch(id, replyTo)),
        watched -> complete(upgrade.handleMessagesWith(watcherFlow(id, watched)))))));
  }

  /** The stream's access rule ({@link StreamAccess}: allowed origins, {@code STREAM_AUTH_TOKEN}). */
  private Route streamGuard(java.util.function.Supplier<Route> inner) {
    return extractRequest(request -> parameterOptional("token", token -> {
      Optional<StreamAccess.Refusal> refusal = streamAccess.check(header(request, "Origin"), header(request, "Host"),
          token, header(request, "Authorization"));
      if (refusal.isPresent()) {
        return complete(HttpResponse.create().withStatus(refusal.get().status()).withEntity(
            HttpEntities.create(ContentTypes.APPLICATION_JSON, AnswerEncoder.encode(refusal.get().error()))));
      }
      return inner.get();
    }));
  }

  /**
   * One watcher: the hub's answers through a buffer that drops this watcher's oldest when it lags
   * (so it never holds the source back), then its socket. A watcher that reads nothing for the stall
   * timeout is disconnected. When the source goes, a last {@code source_stopped}, then the close.
   */
  private Flow<Message, Message, NotUsed> watcherFlow(String id, Optional<SourceManager.Watched> watched) {
    if (watched.isEmpty()) {
      String error = AnswerEncoder.encode(new StreamError(StreamError.Code.SOURCE_NOT_FOUND, "no live source with id '" + id + "'"));
      return Flow.fromSinkAndSource(Sink.ignore(), Source.single(TextMessage.create(error)));
    }
    SourceStats stats = watched.get().stats();
    Source<Message, NotUsed> answers = watched.get().answers()
        .buffer(settings.watcherBuffer(), OverflowStrategy.dropHead())
        .concat(Source.single(SOURCE_STOPPED))
        .<Message>map(TextMessage::create)
        .backpressureTimeout(settings.watcherStallTimeout())
        .watchTermination((notUsed, done) -> {
          stats.watcherJoined();
          done.whenComplete((ok, failure) -> stats.watcherLeft());
          return notUsed;
        });
    return Flow.fromSinkAndSourceCoupled(Sink.ignore(), answers);
  }

  static final String SOURCE_STOPPED = AnswerEncoder.encode(
      new StreamError(StreamError.Code.SOURCE_STOPPED, "the source was deleted or the server is stopping"));

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }

  private <T> CompletionStage<T> ask(org.apache.pekko.japi.function.Function<ActorRef<T>, SourceManager.Command> message) {
    return AskPattern.ask(manager, message::apply, ASK_TIMEOUT, system.scheduler());
  }

  private Route json(org.apache.pekko.http.javadsl.model.StatusCode status, Object body) {
    return complete(status, body, Jackson.marshaller(mapper));
  }

  private Route notFound(String id) {
    return error(StatusCodes.NOT_FOUND, "not_found", "no live source with id '" + id + "'");
  }

  private Route error(org.apache.pekko.http.javadsl.model.StatusCode status, String error, String detail) {
    return json(status, Map.of("error", error, "detail", detail));
  }
}
