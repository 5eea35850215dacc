package io.framewire.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.api.FrameTime;
import io.framewire.events.EventStoreException;
import io.framewire.events.StoredEvent;
import io.framewire.eventstore.EventCounts;
import io.framewire.eventstore.EventPage;
import io.framewire.eventstore.EventQuery;
import io.framewire.eventstore.EventStore;
import io.framewire.eventstore.EventTail;
import io.framewire.eventstore.Snapshots;
import io.framewire.streaming.AnswerEncoder;
import io.framewire.streaming.StreamSettings;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(s|m|h|d)");

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
      refuseUnknown(params, TAIL_PARAMS);
      filter = filter(params, EventQuery.DEFAULT_LIMIT, true, OptionalLong.empty());
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
      refuseUnknown(params, LIST_PARAMS);
      query = filter(params, parseLimit(params.get("limit")), parseOrder(params.get("order")),
          parseLong("after", params.get("after")));
    } catch (IllegalArgumentException e) {
      return badRequest(e.getMessage());
    }
    return run(() -> page(s.query(query)));
  }

  private Route counts(EventStore s, Map<String, String> params) {
    EventCounts counts;
    try {
      refuseUnknown(params, COUNT_PARAMS);
      List<String> groupBy = split(params.get("group_by"));
      OptionalLong bucket = parseBucket(params.get("bucket"));
      counts = new EventCounts(filter(params, EventQuery.DEFAULT_LIMIT, false, OptionalLong.empty()), groupBy, bucket);
    } catch (IllegalArgumentException e) {
      return badRequest(e.getMessage());
    }
    return run(() -> {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (EventCounts.Row row : s.counts(counts)) {
        Map<String, Object> out = new LinkedHashMap<>();
        row.bucketStartMillis().ifPresent(b -> out.put("bucket", FrameTime.iso(b)));
        out.putAll(row.group());
        out.put("count", row.count());
        rows.add(out);
      }
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

  /** An event as the API shows it: its columns, then its own fields (which cannot shadow a column). */
  static Map<String, Object> toJson(StoredEvent event) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", event.id());
    out.put("type", event.type());
    out.put("stream", event.stream());
    out.put("pipeline_id", event.pipelineId());
    out.put("pipeline_version", event.pipelineVersion());
    out.put("node", event.node());
    out.put("time", FrameTime.iso(event.timeMillis()));
    out.put("received_at", FrameTime.iso(event.receivedAtMillis()));
    event.fields().forEach(out::putIfAbsent);
    out.put("snapshot", event.snapshot());
    return out;
  }

  private static EventQuery filter(Map<String, String> params, int limit, boolean ascending, OptionalLong after) {
    OptionalLong since = parseTime("since", params.get("since"));
    OptionalLong until = parseTime("until", params.get("until"));
    if (since.isPresent() && until.isPresent() && since.getAsLong() >= until.getAsLong()) {
      throw new IllegalArgumentException("since must be before until");
    }
    return new EventQuery(split(params.get("stream")), split(params.get("type")), split(params.get("label")),
        split(params.get("line")), split(params.get("zone")), since, until, after, limit, ascending);
  }

  private static void refuseUnknown(Map<String, String> params, Set<String> known) {
    for (String name : params.keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown parameter '" + name + "'; known: "
            + String.join(", ", known.stream().filter(k -> !k.equals("token")).sorted().toList()));
      }
    }
  }

  private static List<String> split(String value) {
    return value == null ? List.of()
        : Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  private static int parseLimit(String value) {
    if (value == null) {
      return EventQuery.DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value.trim());
      if (limit >= 1 && limit <= EventQuery.MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException("limit must be a whole number 1.." + EventQuery.MAX_LIMIT + ", got '" + value + "'");
  }

  private static boolean parseOrder(String value) {
    if (value == null || value.equals("desc")) {
      return false;
    }
    if (value.equals("asc")) {
      return true;
    }
    throw new IllegalArgumentException("order must be asc (oldest first) or desc (newest first), got '" + value + "'");
  }

  private static OptionalLong parseLong(String name, String value) {
    if (value == null) {
      return OptionalLong.empty();
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed >= 0) {
        return OptionalLong.of(parsed);
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException(name + " must be the cursor a previous page's next gave, got '" + value + "'");
  }

  /** An ISO-8601 instant ({@code 2025-06-01T12:00:00Z}) or epoch milliseconds. */
  private static OptionalLong parseTime(String name, String value) {
    if (value == null) {
      return OptionalLong.empty();
    }
    String v = value.trim();
    try {
      return OptionalLong.of(v.chars().allMatch(Character::isDigit) && !v.isEmpty()
          ? Long.parseLong(v) : Instant.parse(v).toEpochMilli());
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException(name + " must be an ISO-8601 time (2025-06-01T12:00:00Z) or epoch "
          + "milliseconds, got '" + value + "'");
    }
  }

  /** {@code 30s}, {@code 15m}, {@code 1h}, {@code 1d}. */
  static OptionalLong parseBucket(String value) {
    if (value == null) {
      return OptionalLong.empty();
    }
    Matcher m = DURATION.matcher(value.trim());
    if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
      throw new IllegalArgumentException("bucket must be a length like 30s, 15m, 1h or 1d, got '" + value + "'");
    }
    long unit = switch (m.group(2)) {
      case "s" -> 1000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      default -> 86_400_000L;
    };
    return OptionalLong.of(Long.parseLong(m.group(1)) * unit);
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
