package io.framewire.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.sources.LiveSources;
import io.framewire.sources.SourceManager;
import io.framewire.sources.SourceSettings;
import io.framewire.streaming.AnswerEncoder;
import io.framewire.streaming.StreamError;
import io.framewire.streaming.StreamSettings;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.NotUsed;
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
 * watchers follow the stream's access rule (allowed origins, stream token). Each request is one call
 * of {@link LiveSources}: this process's cameras, or on a cluster node the whole cluster's; nothing
 * here runs per frame.
 */
public final class SourcesRoute extends AllDirectives {

  private final LiveSources sources;
  private final SourceSettings settings;
  private final AdminAccess admin;
  private final StreamGuard streamGuard;
  private final ObjectMapper mapper;

  public SourcesRoute(
      LiveSources sources,
      SourceSettings settings,
      StreamSettings streamSettings,
      AdminAccess admin,
      ObjectMapper mapper) {
    this.sources = sources;
    this.settings = settings;
    this.admin = admin;
    this.streamGuard = new StreamGuard(streamSettings);
    this.mapper = mapper;
  }

  public Route route() {
    return concat(
        pathPrefix("sources", () -> concat(
            pathEndOrSingleSlash(() -> concat(
                get(() -> onSuccess(sources.list(), list -> json(StatusCodes.OK, list))),
                post(() -> admin.guard(() -> entity(Unmarshaller.entityToString(), this::create))))),
            path(PathMatchers.segment(), id -> concat(
                get(() -> onSuccess(sources.get(id),
                    snapshot -> snapshot.<Route>map(s -> json(StatusCodes.OK, s)).orElseGet(() -> notFound(id)))),
                delete(() -> admin.guard(() -> onSuccess(sources.delete(id),
                    deleted -> deleted ? complete(StatusCodes.NO_CONTENT) : notFound(id)))))),
            // Camera pictures: the same access rule as the answers (allowed origins, stream token).
            path(PathMatchers.segment().slash("preview.jpg"), id -> get(() -> streamGuard(() ->
                onSuccess(sources.preview(id), preview -> preview(id, preview))))))),
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
    return onSuccess(sources.create(id, url, pipelineId), reply -> {
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

  private Route preview(String id, LiveSources.Preview preview) {
    switch (preview.outcome()) {
      case NOT_FOUND:
        return notFound(id);
      case NO_FRAME:
        return error(StatusCodes.NOT_FOUND, "no_frame", "source '" + id + "' has not decoded a frame yet");
      case TOO_LARGE:
        return error(StatusCodes.BAD_GATEWAY, "preview_too_large",
            "source '" + id + "' runs on another node and its preview exceeds what one cluster message carries");
      default:
        return respondWithHeader(CacheControl.create(CacheDirectives.NO_STORE), () -> complete(
            HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.create(MediaTypes.IMAGE_JPEG), preview.jpeg()))));
    }
  }

  private Route watch(String id) {
    return streamGuard(() -> get(() -> extractWebSocketUpgrade(upgrade -> onSuccess(
        sources.watch(id),
        watched -> complete(upgrade.handleMessagesWith(watcherFlow(id, watched)))))));
  }

  /** The stream's access rule ({@link StreamGuard}). */
  private Route streamGuard(java.util.function.Supplier<Route> inner) {
    return streamGuard.guard(inner);
  }

  /**
   * One watcher: the hub's answers through a buffer that drops this watcher's oldest when it lags
   * (so it never holds the source back), then its socket. A watcher that reads nothing for the stall
   * timeout is disconnected. When the source goes, a last {@code source_stopped}, then the close.
   */
  private Flow<Message, Message, NotUsed> watcherFlow(String id, Optional<LiveSources.Watch> watched) {
    if (watched.isEmpty()) {
      String error = AnswerEncoder.encode(new StreamError(StreamError.Code.SOURCE_NOT_FOUND, "no live source with id '" + id + "'"));
      return Flow.fromSinkAndSource(Sink.ignore(), Source.single(TextMessage.create(error)));
    }
    LiveSources.Watch watch = watched.get();
    Source<Message, NotUsed> answers = watch.answers()
        .buffer(settings.watcherBuffer(), OverflowStrategy.dropHead())
        .concat(Source.single(SOURCE_STOPPED))
        .<Message>map(TextMessage::create)
        .backpressureTimeout(settings.watcherStallTimeout())
        .watchTermination((notUsed, done) -> {
          watch.joined().run();
          done.whenComplete((ok, failure) -> watch.left().run());
          return notUsed;
        });
    return Flow.fromSinkAndSourceCoupled(Sink.ignore(), answers);
  }

  static final String SOURCE_STOPPED = AnswerEncoder.encode(
      new StreamError(StreamError.Code.SOURCE_STOPPED, "the source was deleted or the server is stopping"));

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
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
