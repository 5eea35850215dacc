package io.framewire.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.sinks.InvalidSinkException;
import io.framewire.sinks.SinkDefinition;
import io.framewire.sinks.SinkJson;
import io.framewire.sinks.Sinks;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * Event sinks (docs/events.md): {@code POST /sinks} (a definition → 201 with the sink, 400 naming
 * the bad field, 409 when the id is taken), {@code GET /sinks}, {@code GET /sinks/{id}} (the
 * definition with credentials masked, and its state, position, lag and last error), {@code DELETE
 * /sinks/{id}} (204). Reads follow the stream's rule ({@link StreamGuard}), changes {@link AdminAccess}.
 */
public final class SinksRoute extends AllDirectives {

  private final Sinks sinks;
  private final AdminAccess admin;
  private final ObjectMapper mapper;
  private final StreamGuard reads;

  /** @param reads who may read the sinks: the stream's rule, as for the events they deliver */
  public SinksRoute(Sinks sinks, AdminAccess admin, StreamGuard reads, ObjectMapper mapper) {
    this.sinks = sinks;
    this.admin = admin;
    this.reads = reads;
    this.mapper = mapper;
  }

  public Route route() {
    return pathPrefix("sinks", () -> concat(
        pathEndOrSingleSlash(() -> concat(
            get(() -> reads.guard(() -> json(StatusCodes.OK, Map.of("sinks", sinks.list())))),
            post(() -> admin.guard(() -> entity(Unmarshaller.entityToString(), this::create))))),
        path(PathMatchers.segment(), id -> concat(
            get(() -> reads.guard(() -> sinks.get(id).map(sink -> json(StatusCodes.OK, sink)).orElseGet(() -> notFound(id)))),
            delete(() -> admin.guard(() -> onSuccess(sinks.delete(id),
                deleted -> deleted ? complete(StatusCodes.NO_CONTENT) : notFound(id))))))));
  }

  private Route create(String body) {
    SinkDefinition definition;
    try {
      JsonNode json;
      try {
        json = mapper.readTree(body);
      } catch (Exception e) {
        json = null;
      }
      definition = SinkJson.parse(json);
    } catch (InvalidSinkException e) {
      return error(StatusCodes.BAD_REQUEST, "invalid_sink", e.getMessage());
    }
    return onComplete(sinks.create(definition), result -> {
      if (result.isSuccess()) {
        return respondWithHeader(Location.create("/sinks/" + definition.id()), () -> json(StatusCodes.CREATED, result.get()));
      }
      Throwable failure = result.failed().get();
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
      if (cause instanceof Sinks.SinkExistsException) {
        return error(StatusCodes.CONFLICT, "sink_exists", cause.getMessage());
      }
      return error(StatusCodes.SERVICE_UNAVAILABLE, "store_unavailable", "the sink could not be stored: " + cause.getMessage());
    });
  }

  /**
   * {@code /sinks} on a server that keeps no events: sinks read the event store, so without one
   * every path answers 404 {@code events_disabled}, as {@code /events} does.
   */
  public static Route disabled(ObjectMapper mapper) {
    AllDirectives d = new AllDirectives() {};
    return d.pathPrefix("sinks", () -> d.complete(StatusCodes.NOT_FOUND,
        Map.of("error", "events_disabled",
            "detail", "this server keeps no events, so it has no sinks (framewire.events.enabled = false, EVENTS_ENABLED)"),
        Jackson.marshaller(mapper)));
  }

  private Route json(StatusCode status, Object body) {
    return complete(status, body, Jackson.marshaller(mapper));
  }

  private Route notFound(String id) {
    return error(StatusCodes.NOT_FOUND, "not_found", "no sink with id '" + id + "'");
  }

  private Route error(StatusCode status, String error, String detail) {
    return json(status, Map.of("error", error, "detail", detail));
  }
}
