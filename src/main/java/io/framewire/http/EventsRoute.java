package io.framewire.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.events.EventStoreException;
import io.framewire.events.StoredEvent;
import io.framewire.eventstore.EventCounts;
import io.framewire.eventstore.EventPage;
import io.framewire.eventstore.EventParams;
import io.framewire.eventstore.EventQuery;
import io.framewire.eventstore.EventStore;
import io.framewire.eventstore.EventTail;
import io.framewire.eventstore.Snapshots;
import io.framewire.streaming.AnswerEncoder;
import io.framewire.streaming.StreamSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stored events (docs/events.md): {@code GET /events} (filtered, keyset-paged: {@code {"events":
 * [...], "next": cursor|null}}), {@code GET /events/{id}} and {@code GET /events/counts} (aggregates
 * the database computes), {@code GET /events/{id}/snapshot.jpg} (the event's snapshot file) and
 * {@code GET /ws/events} (the live tail: each stored event that matches the filters, as one JSON text
 * message, or {@code {"lost": n}} when this watcher's buffer overflowed). Reads follow the stream's access rule (allowed origins, {@code
 * STREAM_AUTH_TOKEN}): events are what the streams saw. Every query runs on the blocking executor
 * (JDBC blocks). A bad parameter is refused 400 {@code invalid_request} naming it; without a store
 * every path answers 404 {@code events_disabled}; a store that cannot answer now, 503.
 */
public final class EventsRoute extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(EventsRoute.class);
  private static final Set<String> LIST_PARAMS =
      Set.of("stream", "type", "label", "line", "zone", "since", "until", "limit", "after", "order", "token");
  private static final Set<String> COUNT_PARAMS =
      Set.of("stream", "type", "label", "line", "zone", "since", "until", "group_by", "bucket", "token");
  private static final Set<String> TAIL_PARAMS = Set.of("stream", "type", "label", "line", "zone", "token");

  private final Optional<EventStore> store;
  private final Optional<Snapshots> snapshots;
  private final Optional<EventTail> tail;
  private final StreamGuard streamGuard;
  private final ObjectMapper mapper;
  private final Executor blocking;

  /**
   * @param store the engine's store, or empty when {@code framewire.events.enabled} is off
   * @param blocking where the queries run (the blocking dispatcher)
   */
  public EventsRoute(Optional<EventStore> store, StreamSettings streamSettings, ObjectMapper mapper, Executor blocking) {
    this(store, Optional.empty(), Optional.empty(), streamSettings, mapper, blocking);
  }

  /**
   * @param snapshots the engine's snapshots (their files), empty when off
   * @param tail the engine's live tail, empty without a store
   */
  public EventsRoute(Optional<EventStore> store, Optional<Snapshots> snapshots, Optional<EventTail> tail,
      StreamSettings streamSettings, ObjectMapper mapper, Executor blocking) {
    this.store = store;
    this.snapshots = snapshots;
    this.tail = tail;
    this.streamGuard = new StreamGuard(streamSettings);
    this.mapper = mapper;
    this.blocking = blocking;
  }

  public Route route() {
    return concat(
        pathPrefix("events", () -> get(() -> streamGuard(() -> concat(
            pathEndOrSingleSlash(() -> parameterMap(params -> withStore(s -> list(s, params)))),
            path("counts", () -> parameterMap(params -> withStore(s -> counts(s, params)))),
            path(PathMatchers.segment().slash("snapshot.jpg"), id -> withStore(s -> snapshot(s, id))),
            path(PathMatchers.segment(), id -> withStore(s -> one(s, id))))))),
        path(PathMatchers.segment("ws").slash("events"), () -> get(() -> streamGuard(() ->
            parameterMap(params -> withStore(s -> watch(params)))))));
  }

  /** The live tail: upgraded to a WebSocket whose messages are the matching stored events. */
  private Route watch(Map<String, String> params) {
    EventQuery filter;
    try {
      EventParams.refuseUnknown(params, TAIL_PARAMS);
      filter = EventParams.filter(params, EventQuery.DEFAULT_LIMIT, true, OptionalLong.empty());
    } catch (IllegalArgumentException e) {
      return badRequest(e.getMessage());
    }
    if (tail.isEmpty()) {
      return error(StatusCodes.NOT_FOUND, "events_disabled", "this server has no live tail of its events");
    }
    EventTail events = tail.get();
    return extractWebSocketUpgrade(upgrade -> complete(upgrade.handleMessagesWith(
        Flow.fromSinkAndSourceCoupled(Sink.<Message>ignore(), events.watch(filter).<Message>map(this::message)))));
  }

  private Message message(EventTail.Item item) {
    Object body;
    if (item instanceof EventTail.Event event) {
      body = toJson(event.event());
    } else if (item instanceof EventTail.Lost lost) {
      body = Map.of("lost", lost.count());
    } else {
      body = Map.of("tailing", true, "after", ((EventTail.Tailing) item).afterId());
    }
    try {
      return TextMessage.create(mapper.writeValueAsString(body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a stored event is JSON-safe", e);
    }
  }

  /** The event's snapshot file: 404 {@code no_snapshot} when it has none, or it is not written (yet) or deleted. */
  private Route snapshot(EventStore s, String id) {
    long value;
    try {
      value = Long.parseLong(id);
    } catch (NumberFormatException e) {
      return error(StatusCodes.NOT_FOUND, "not_found", "no event with id '" + id + "' (ids are numbers)");
    }
    return onSuccess(CompletableFuture.supplyAsync(() -> guarded(() -> s.get(value).map(event ->
        Optional.ofNullable(event.snapshot()).flatMap(name -> snapshots.flatMap(sn -> sn.file(name)))
            .<Object>map(EventsRoute::read).orElse(NO_SNAPSHOT))), blocking), found -> {
      if (found instanceof Failed failed) {
        return failed.route(this);
      }
      Object answer = ((Optional<?>) found).orElse(null);
      if (answer == null) {
        return error(StatusCodes.NOT_FOUND, "not_found", "no event with id " + value);
      }
      if (answer == NO_SNAPSHOT) {
        return error(StatusCodes.NOT_FOUND, "no_snapshot", "event " + value + " has no snapshot (none was due, "
            + "it is not written yet, or the retention sweep deleted it)");
      }
      // A snapshot never changes: a browser may keep it.
      return respondWithHeader(CacheControl.create(CacheDirectives.MAX_AGE(86_400)), () -> complete(
          HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.create(MediaTypes.IMAGE_JPEG),
              (byte[]) answer))));
    });
  }

  private static final Object NO_SNAPSHOT = new Object();

  /** The file's bytes, or {@link #NO_SNAPSHOT} if it went meanwhile (the sweep). */
  private static Object read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      return NO_SNAPSHOT;
    }
  }

  private Route withStore(java.util.function.Function<EventStore, Route> inner) {
    return store.map(inner).orElseGet(() -> error(StatusCodes.NOT_FOUND, "events_disabled",
        "this server keeps no events (framewire.events.enabled = false, EVENTS_ENABLED)"));
  }

  private Route list(EventStore s, Map<String, String> params) {
    EventQuery query;
    try {
      EventParams.refuseUnknown(params, LIST_PARAMS);
      query = EventParams.page(params);
    } catch (IllegalArgumentException e) {
      return badRequest(e.getMessage());
    }
    return run(() -> page(s.query(query)));
  }

  private Route counts(EventStore s, Map<String, String> params) {
    EventCounts counts;
    try {
      EventParams.refuseUnknown(params, COUNT_PARAMS);
      counts = EventParams.counts(params);
    } catch (IllegalArgumentException e) {
      return badRequest(e.getMessage());
    }
    return run(() -> {
      List<Map<String, Object>> rows = EventParams.toJson(s.counts(counts));
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("group_by", counts.groupBy());
      body.put("bucket", params.get("bucket"));
      body.put("counts", rows);
      return body;
    });
  }

  private Route one(EventStore s, String id) {
    long value;
    try {
      value = Long.parseLong(id);
    } catch (NumberFormatException e) {
      return error(StatusCodes.NOT_FOUND, "not_found", "no event with id '" + id + "' (ids are numbers)");
    }
    return onSuccess(CompletableFuture.supplyAsync(() -> guarded(() -> s.get(value)), blocking), found -> {
      if (found instanceof Failed failed) {
        return failed.route(this);
      }
      @SuppressWarnings("unchecked")
      Optional<StoredEvent> event = (Optional<StoredEvent>) found;
      return event.map(e -> json(StatusCodes.OK, toJson(e)))
          .orElseGet(() -> error(StatusCodes.NOT_FOUND, "not_found", "no event with id " + value));
    });
  }

  private Map<String, Object> page(EventPage page) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("events", page.events().stream().map(EventsRoute::toJson).toList());
    body.put("next", page.next().isPresent() ? Long.toString(page.next().getAsLong()) : null);
    return body;
  }

  static Map<String, Object> toJson(StoredEvent event) {
    return EventParams.toJson(event);
  }

  /** Runs a query on the blocking executor; a store that fails answers 503. */
  private Route run(Supplier<Object> query) {
    return onSuccess(CompletableFuture.supplyAsync(() -> guarded(query), blocking), body ->
        body instanceof Failed failed ? failed.route(this) : json(StatusCodes.OK, body));
  }

  private static Object guarded(Supplier<?> query) {
    try {
      return query.get();
    } catch (EventStoreException e) {
      log.warn("event query failed: {}", e.getMessage());
      return new Failed(e.getMessage());
    }
  }

  private record Failed(String detail) {
    Route route(EventsRoute routes) {
      return routes.error(StatusCodes.SERVICE_UNAVAILABLE, "store_unavailable", "the event store cannot answer now");
    }
  }

  /** The stream's access rule ({@link StreamGuard}). */
  private Route streamGuard(java.util.function.Supplier<Route> inner) {
    return streamGuard.guard(inner);
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }

  private Route badRequest(String detail) {
    return error(StatusCodes.BAD_REQUEST, "invalid_request", detail);
  }

  private Route json(StatusCode status, Object body) {
    return complete(status, body, Jackson.marshaller(mapper));
  }

  private Route error(StatusCode status, String error, String detail) {
    return json(status, Map.of("error", error, "detail", detail));
  }
}
