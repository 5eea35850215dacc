package io.framewire.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
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
  private final Supplier<Map<String, Object>> clusterView;

  public ApiRoutes(PipelineRegistry pipelines, ObjectMapper mapper) {
    this(pipelines, mapper, null);
  }

  /** @param clusterView the node's cluster view for /health (null for a single process) */
  public ApiRoutes(PipelineRegistry pipelines, ObjectMapper mapper, Supplier<Map<String, Object>> clusterView) {
    this.pipelines = pipelines;
    this.mapper = mapper;
    this.clusterView = clusterView;
  }

  private Map<String, Object> health() {
    if (clusterView == null) {
      return Map.of("status", "ok");
    }
    Map<String, Object> health = new LinkedHashMap<>();
    health.put("status", "ok");
    health.put("cluster", clusterView.get());
    return health;
  }

  /** {@code GET /health} alone (also served on the management port). */
  public Route healthRoute() {
    return get(() -> path("health", () -> complete(StatusCodes.OK, health(), Jackson.marshaller(mapper))));
  }

  public Route route() {
    return concat(healthRoute(), get(() -> concat(
        pathPrefix("pipelines", () -> concat(
            pathEndOrSingleSlash(() -> complete(StatusCodes.OK, summaries(), Jackson.marshaller(mapper))),
            path(PathMatchers.segment(), id -> pipelines.get(id)
                .map(p -> complete(StatusCodes.OK, p, Jackson.<PipelineDefinition>marshaller(mapper)))
                .orElseGet(() -> complete(StatusCodes.NOT_FOUND,
                    Map.of("error", "not_found", "detail", "no pipeline with id '" + id + "'"),
                    Jackson.marshaller(mapper)))))))));
  }

  private List<Map<String, Object>> summaries() {
    return pipelines.entries().stream().map(entry -> {
      PipelineDefinition p = entry.definition();
      Map<String, Object> summary = new LinkedHashMap<>();
      summary.put("id", p.id());
      summary.put("name", p.name());
      summary.put("description", p.description());
      summary.put("nodes", p.nodes());
      summary.put("source", entry.source());
      summary.put("version", entry.version());
      summary.put("editable", entry.source() != PipelineRegistry.Source.BUILTIN);
      return summary;
    }).toList();
  }
}
