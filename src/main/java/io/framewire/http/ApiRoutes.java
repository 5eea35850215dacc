package io.framewire.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /health}, {@code GET /pipelines} and {@code GET /pipelines/{id}}. */
public final class ApiRoutes extends AllDirectives {

  private final PipelineRegistry pipelines;
  private final ObjectMapper mapper;

  public ApiRoutes(PipelineRegistry pipelines, ObjectMapper mapper) {
    this.pipelines = pipelines;
    this.mapper = mapper;
  }

  /** {@code GET /health} alone (also served on the management port). */
  public Route healthRoute() {
    return get(() -> path("health", () -> complete(StatusCodes.OK, Map.of("status", "ok"), Jackson.marshaller(mapper))));
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
