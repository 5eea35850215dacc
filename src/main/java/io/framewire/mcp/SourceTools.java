package io.framewire.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.events.EventStoreException;
import io.framewire.eventstore.EventCounts;
import io.framewire.eventstore.EventParams;
import io.framewire.eventstore.EventQuery;
import io.framewire.eventstore.EventStore;
import io.framewire.sources.LiveSources;
import io.framewire.sources.SourceStats;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * {@code list_sources} and {@code look_at_source}: the live cameras, and one camera's newest frame
 * with its newest result drawn on it, the result itself, the camera's counters and its stored events
 * counted by type. The result is the next one the camera answers after the call (waited for up to
 * {@link #RESULT_WAIT}, as a watcher of {@code /ws/sources/{id}} would get it); the frame is the newest
 * decoded when that result came, so the two may be a frame or two apart on a busy camera.
 */
final class SourceTools {

  /** How long {@code look_at_source} waits for the camera's next result. */
  static final Duration RESULT_WAIT = Duration.ofSeconds(5);
  private static final Duration ASK = Duration.ofSeconds(10);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final Optional<LiveSources> sources;
  private final Optional<EventStore> store;
  private final Materializer materializer;
  private final ObjectMapper json = new ObjectMapper();
  private final Results results;

  SourceTools(Optional<LiveSources> sources, Optional<EventStore> store, Materializer materializer, Results results) {
    this.sources = sources;
    this.store = store;
    this.materializer = materializer;
    this.results = results;
  }

  List<McpTool> tools() {
    return List.of(
        new McpTool("list_sources", "List live cameras",
            "The live sources (cameras) this server watches: id, masked URL, pipeline, state, frame counters, "
                + "fps, size.",
            Schemas.object(List.of()), this::list),
        new McpTool("look_at_source", "Look at a camera",
            "A camera's newest frame with its newest pipeline result drawn on it (image content), and that "
                + "result, the camera's counters and its stored events counted by type (structured content).",
            Schemas.object(List.of("source_id"), "source_id", Schemas.string("the camera's id (list_sources)")),
            this::look));
  }

  McpSchema.CallToolResult list(Args args) {
    List<Map<String, Object>> list = await(live().list()).stream().map(s -> json.convertValue(s, MAP)).toList();
    return results.ok(Map.of("sources", list));
  }

  McpSchema.CallToolResult look(Args args) {
    String id = args.required("source_id");
    LiveSources live = live();
    SourceStats.Snapshot snapshot = await(live.get(id)).orElseThrow(() -> unknown(live, id));
    Optional<Map<String, Object>> answer = await(live.watch(id)).flatMap(this::nextResult);
    LiveSources.Preview preview = await(live.preview(id));
    switch (preview.outcome()) {
      case NOT_FOUND:
        throw unknown(live, id);
      case NO_FRAME:
        throw new ToolError("no_frame", "source '" + id + "' has not decoded a frame yet (state: "
            + snapshot.state() + (snapshot.lastError() == null ? "" : ", last error: " + snapshot.lastError()) + ")");
      case TOO_LARGE:
        throw new ToolError("preview_too_large",
            "source '" + id + "' runs on another node and its frame exceeds what one cluster message carries");
      default:
        break;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> result = answer.map(a -> (Map<String, Object>) a.get("result")).orElse(Map.of());
    var marks = Overlay.marks(result);
    byte[] drawn;
    try {
      drawn = Overlay.draw(preview.jpeg(), marks);
    } catch (IOException e) {
      throw new ToolError("no_frame", "source '" + id + "''s frame cannot be decoded");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("source", json.convertValue(snapshot, MAP));
    body.put("frame_index", answer.map(a -> a.get("frame_index")).orElse(null));
    body.put("result", answer.isPresent() ? result : null);
    body.put("boxes", marks.size());
    body.put("event_counts", eventCounts("source:" + id));
    return results.ok(body, List.of(Results.jpeg(drawn)));
  }

  /** The camera's next answer that is a result (not a dropped notice), if one comes in time. */
  private Optional<Map<String, Object>> nextResult(LiveSources.Watch watch) {
    CompletionStage<Optional<Map<String, Object>>> next = watch.answers()
        .map(text -> json.readValue(text, MAP))
        .filter(answer -> answer.get("result") instanceof Map)
        .take(1)
        .takeWithin(RESULT_WAIT)
        .watchTermination((notUsed, done) -> {
          watch.joined().run();
          done.whenComplete((ok, failure) -> watch.left().run());
          return notUsed;
        })
        .runWith(Sink.headOption(), materializer);
    return await(next);
  }

  /** The camera's stored events by type; null without a store (or while it cannot answer). */
  private List<Map<String, Object>> eventCounts(String stream) {
    if (store.isEmpty()) {
      return null;
    }
    try {
      return EventParams.toJson(store.get().counts(new EventCounts(EventQuery.all().withStreams(List.of(stream)),
          List.of("type"), OptionalLong.empty())));
    } catch (EventStoreException e) {
      return null;
    }
  }

  private LiveSources live() {
    return sources.orElseThrow(() -> new ToolError("sources_disabled", "this node runs no live sources"));
  }

  private ToolError unknown(LiveSources live, String id) {
    List<String> known = await(live.list()).stream().map(SourceStats.Snapshot::id).sorted().toList();
    return new ToolError("unknown_source", "no live source '" + id + "'; known: "
        + (known.isEmpty() ? "none" : String.join(", ", known)));
  }

  private static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(ASK.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ToolError("sources_unavailable", "the live sources did not answer in time");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ToolError("interrupted", "the server is stopping");
    }
  }
}
