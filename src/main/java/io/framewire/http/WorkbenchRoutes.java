package io.framewire.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.engine.Engine;
import io.framewire.pipeline.store.PipelineConflictException;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.pipeline.PipelineValidationException;
import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.api.ParamSpec;
import io.framewire.api.ToolPlugin;
import io.framewire.pipeline.ToolRegistry;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Location;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline workbench: change pipelines without a restart, and list the tools.
 *
 * <ul>
 *   <li>{@code POST /pipelines} (a definition) → 201; {@code PUT /pipelines/{id}} → 200 (replaced) or
 *       201 (created); {@code DELETE /pipelines/{id}} → 204. Built-ins → 409, invalid → 400
 *       {@code {"error":"invalid_pipeline","errors":[…]}}. Guarded by {@link AdminAccess}.
 *   <li>{@code POST /pipelines/validate} → 200 {@code {"valid","errors",…}}, registers nothing.
 *   <li>{@code GET /tools}: every plugin and tool with description, flags and params schema (the
 *       schema the validator checks against).
 *   <li>{@code GET /models}: each loaded ONNX model, how it runs (batch, concurrent runs, threads,
 *       measured or set, the per-frame cost measured at each batch size) and its counters.
 *   <li>{@code GET /workbench}: where pipelines are stored, whether the directory is watched, which
 *       files of it are invalid now, and which access rule guards changes.
 * </ul>
 */
public final class WorkbenchRoutes extends AllDirectives {

  private static final Logger log = LoggerFactory.getLogger(WorkbenchRoutes.class);
  /** At most this many of a refused pipeline's problems are listed in the answer (the count is always whole). */
  static final int MAX_LISTED_PROBLEMS = 100;

  private final PipelineRegistry pipelines;
  private final ToolRegistry tools;
  private final AdminAccess admin;
  private final boolean watching;
  private final ObjectMapper mapper;

  public WorkbenchRoutes(
      PipelineRegistry pipelines, ToolRegistry tools, AdminAccess admin, boolean watching, ObjectMapper mapper) {
    this.pipelines = pipelines;
    this.tools = tools;
    this.admin = admin;
    this.watching = watching;
    this.mapper = mapper;
  }

  public Route route() {
    return concat(
        path("tools", () -> get(() -> json(StatusCodes.OK, catalogue()))),
        path("models", () -> get(() -> json(StatusCodes.OK, Map.of("models", Engine.modelsReport(tools))))),
        path("workbench", () -> get(() -> json(StatusCodes.OK, status()))),
        pathPrefix("pipelines", () -> concat(
            path("validate", () -> post(() -> withBody(this::validate))),
            pathEndOrSingleSlash(() -> post(() -> admin.guard(() -> withBody(this::create)))),
            path(PathMatchers.segment(), id -> concat(
                put(() -> admin.guard(() -> withBody(body -> replace(id, body)))),
                delete(() -> admin.guard(() -> delete(id))))))));
  }

  private Route withBody(java.util.function.Function<String, Route> inner) {
    return entity(Unmarshaller.entityToString(), inner);
  }

  private Route validate(String body) {
    Map<String, Object> answer = new LinkedHashMap<>();
    List<String> errors;
    PipelineDefinition definition = null;
    try {
      definition = PipelineJson.read(body);
      errors = pipelines.problems(definition);
    } catch (PipelineValidationException e) {
      errors = e.errors();
    }
    answer.put("valid", errors.isEmpty());
    answer.put("errors", listed(errors));
    answer.put("problem_count", errors.size());
    if (definition != null && definition.id() != null) {
      Optional<PipelineRegistry.Entry> existing = pipelines.entry(definition.id());
      answer.put("exists", existing.isPresent());
      answer.put("editable", existing.map(e -> e.origin() != PipelineRegistry.Origin.BUILTIN).orElse(true));
    }
    return json(StatusCodes.OK, answer);
  }

  private Route create(String body) {
    return mutate(() -> {
      PipelineRegistry.Entry entry = pipelines.create(PipelineJson.read(body));
      log.info("pipeline '{}' created (version {}, {})", entry.id(), entry.version(), entry.origin());
      return respondWithHeader(Location.create("/pipelines/" + entry.id()),
          () -> json(StatusCodes.CREATED, saved(entry)));
    });
  }

  private Route replace(String id, String body) {
    return mutate(() -> {
      Map.Entry<PipelineRegistry.Entry, Boolean> result = pipelines.put(id, PipelineJson.read(body));
      PipelineRegistry.Entry entry = result.getKey();
      log.info("pipeline '{}' {} (version {}, {})", id, result.getValue() ? "created" : "replaced",
          entry.version(), entry.origin());
      return json(result.getValue() ? StatusCodes.CREATED : StatusCodes.OK, saved(entry));
    });
  }

  private Route delete(String id) {
    return mutate(() -> {
      pipelines.delete(id);
      log.info("pipeline '{}' deleted", id);
      return complete(StatusCodes.NO_CONTENT);
    });
  }

  private static List<String> listed(List<String> problems) {
    return problems.subList(0, Math.min(problems.size(), MAX_LISTED_PROBLEMS));
  }

  /** Runs a change, mapping its refusals to the workbench's error answers. */
  private Route mutate(Supplier<Route> change) {
    try {
      return change.get();
    } catch (PipelineValidationException e) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("error", "invalid_pipeline");
      int count = e.errors().size();
      // a 10,000-node graph can have thousands of problems: the answer lists a bounded first part
      body.put("detail", (count == 1 ? "1 problem" : count + " problems")
          + (count > MAX_LISTED_PROBLEMS ? " (the first " + MAX_LISTED_PROBLEMS + " listed)" : ""));
      body.put("errors", listed(e.errors()));
      return json(StatusCodes.BAD_REQUEST, body);
    } catch (PipelineConflictException e) {
      return json(StatusCodes.CONFLICT, Map.of("error", "conflict", "detail", e.getMessage()));
    } catch (UnknownPipelineException e) {
      return json(StatusCodes.NOT_FOUND, Map.of("error", "not_found", "detail", "no pipeline with id '" + e.pipelineId() + "'"));
    } catch (UncheckedIOException e) {
      log.error("pipeline storage failed: {}", e.getMessage());
      return json(StatusCodes.INTERNAL_SERVER_ERROR, Map.of("error", "storage_failed",
          "detail", "the pipelines directory could not be written; see the server log"));
    }
  }

  private Map<String, Object> saved(PipelineRegistry.Entry entry) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", entry.id());
    body.put("version", entry.version());
    body.put("source", entry.origin());
    body.put("persisted", entry.file().isPresent());
    entry.file().ifPresent(f -> body.put("file", f.getFileName().toString()));
    if (entry.file().isEmpty()) {
      body.put("note", pipelines.isShared()
          ? "PIPELINES_DIR is not set here: this pipeline lives in memory, on every node of the cluster, "
              + "and is lost when they have all stopped"
          : "PIPELINES_DIR is not set: this pipeline lives in memory and is lost when the server stops");
    }
    return body;
  }

  private Map<String, Object> status() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("storage", pipelines.directory().isPresent() ? "directory" : "memory");
    pipelines.directory().ifPresent(d -> body.put("directory", d.toString()));
    body.put("watching", watching);
    body.put("file_errors", pipelines.fileErrors());
    body.put("admin", admin.tokenRequired() ? "token" : "loopback");
    body.put("changes", pipelines.changeCount());
    return body;
  }

  /** Plugins and tools in id order, each tool with its params schema (null when its plugin declares none). */
  private List<Map<String, Object>> catalogue() {
    List<Map<String, Object>> plugins = new ArrayList<>();
    tools.plugins().stream().sorted(java.util.Comparator.comparing(ToolPlugin::id)).forEach(plugin -> {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("plugin_id", plugin.id());
      p.put("description", plugin.description());
      List<Map<String, Object>> toolList = new ArrayList<>();
      plugin.toolIds().stream().sorted().forEach(toolId -> {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("tool_id", toolId);
        t.put("description", plugin.description(toolId));
        t.put("stateful", plugin.isStateful(toolId));
        t.put("blocking", plugin.isBlocking(toolId));
        t.put("uses_colour", plugin.usesColour(toolId));
        Optional<List<ParamSpec>> params = plugin.params(toolId);
        t.put("params_declared", params.isPresent());
        t.put("params", params.orElse(null));
        toolList.add(t);
      });
      p.put("tools", toolList);
      plugins.add(p);
    });
    return plugins;
  }

  private Route json(StatusCode status, Object body) {
    return complete(status, body, Jackson.marshaller(mapper));
  }
}
