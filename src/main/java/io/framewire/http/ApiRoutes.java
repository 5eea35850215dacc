package io.framewire.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.eventstore.StoreHealth;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.streaming.SessionManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /health} (with the cluster view on a cluster node), {@code GET /pipelines} and
 * {@code GET /pipelines/{id}}.
 */
public final class ApiRoutes extends AllDirectives {

  private final PipelineRegistry pipelines;
  private final ObjectMapper mapper;
  private final ActorSystem<?> system;
  private final ActorRef<SessionManager.Command> sessions;
  private final Duration askTimeout;
  private final Supplier<Map<String, Object>> clusterView;
  private final Supplier<Optional<StoreHealth.Status>> storeHealth;

  /**
   * @param sessions asked by {@code /health}: a server whose session manager does not answer admits
   *     no connection either
   * @param askTimeout how long {@code /health} waits for {@code sessions} ({@code
   *     framewire.stream.manager-ask-timeout-ms})
   * @param clusterView the node's cluster view for {@code /health} (null for a single process)
   */
  public ApiRoutes(
      PipelineRegistry pipelines,
      ObjectMapper mapper,
      ActorSystem<?> system,
      ActorRef<SessionManager.Command> sessions,
      Duration askTimeout,
      Supplier<Map<String, Object>> clusterView) {
    this(pipelines, mapper, system, sessions, askTimeout, clusterView, Optional::empty);
  }

  /**
   * @param storeHealth the event writer's health for {@code /health} (empty without a store): a
   *     failing store makes the server {@code degraded}, still 200 (it serves frames)
   */
  public ApiRoutes(
      PipelineRegistry pipelines,
      ObjectMapper mapper,
      ActorSystem<?> system,
      ActorRef<SessionManager.Command> sessions,
      Duration askTimeout,
      Supplier<Map<String, Object>> clusterView,
      Supplier<Optional<StoreHealth.Status>> storeHealth) {
    this.storeHealth = storeHealth;
    this.pipelines = pipelines;
    this.mapper = mapper;
    this.system = system;
    this.sessions = sessions;
    this.askTimeout = askTimeout;
    this.clusterView = clusterView;
  }

  /**
   * {@code GET /health} alone (also served on the management port): 200 {@code {"status":"ok"}}
   * (plus the event store's state where there is one, and the cluster view on a cluster node; {@code
   * "degraded"} while event store writes fail) when the SessionManager answers within the ask timeout;
   * 503 when it does not (then no connection can be admitted either, so a load balancer should look
   * elsewhere).
   */
  public Route healthRoute() {
    return get(() -> path("health", () -> onComplete(
        AskPattern.<SessionManager.Command, Integer>ask(
            sessions, SessionManager.GetActiveCount::new, askTimeout, system.scheduler()),
        count -> count.isSuccess()
            ? complete(StatusCodes.OK, healthy(), Jackson.marshaller(mapper))
            : complete(StatusCodes.SERVICE_UNAVAILABLE,
                Map.of("status", "unavailable",
                    "detail", "the session manager did not answer within " + askTimeout.toMillis() + " ms"),
                Jackson.marshaller(mapper)))));
  }

  private Map<String, Object> healthy() {
    Map<String, Object> health = new LinkedHashMap<>();
    health.put("status", "ok");
    storeHealth.get().ifPresent(store -> {
      if (!store.ok()) {
        health.put("status", "degraded"); // frames flow; events wait in the writer's queue or are dropped
      }
      health.put("events", store.toJson());
    });
    if (clusterView != null) {
      health.put("cluster", clusterView.get());
    }
    return health;
  }

  public Route route() {
    return concat(healthRoute(), get(() -> pathPrefix("pipelines", () -> concat(
        pathEndOrSingleSlash(() -> complete(StatusCodes.OK, summaries(), Jackson.marshaller(mapper))),
        path(PathMatchers.segment(), id -> pipelines.get(id)
            .map(p -> complete(StatusCodes.OK, p, Jackson.<PipelineDefinition>marshaller(mapper)))
            .orElseGet(() -> complete(StatusCodes.NOT_FOUND,
                Map.of("error", "not_found", "detail", "no pipeline with id '" + id + "'"),
                Jackson.marshaller(mapper))))))));
  }

  private List<Map<String, Object>> summaries() {
    return pipelines.entries().stream().map(entry -> {
      PipelineDefinition p = entry.definition();
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("id", p.id());
      summary.put("name", p.name());
      summary.put("description", p.description());
      summary.put("nodes", p.nodes());
      summary.put("source", entry.origin());
      summary.put("version", entry.version());
      summary.put("editable", entry.origin() != PipelineRegistry.Origin.BUILTIN);
      return summary;
    }).toList();
  }
}
