package io.framewire.mcp;

import io.framewire.events.EventStoreException;
import io.framewire.eventstore.EventCounts;
import io.framewire.eventstore.EventPage;
import io.framewire.eventstore.EventParams;
import io.framewire.eventstore.EventStore;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code query_events} and {@code event_counts}: the events API ({@code GET /events}, {@code GET
 * /events/counts}) as tools, read by the same {@link EventParams} (the same filters and refusals). A
 * page holds at most {@link #MAX_LIMIT} events, fewer than the API's, to keep a model's context small.
 */
final class EventTools {

  static final int MAX_LIMIT = 200;
  static final int DEFAULT_LIMIT = 20;
  private static final List<String> FILTERS = List.of("stream", "type", "label", "line", "zone");

  private final Optional<EventStore> store;
  private final Results results;

  EventTools(Optional<EventStore> store, Results results) {
    this.store = store;
    this.results = results;
  }

  List<McpTool> tools() {
    return List.of(
        new McpTool("query_events", "Query stored events",
            "Stored events (line crossings, zone entries, detections...) matching the filters, newest first "
                + "unless order is asc; a page of at most " + MAX_LIMIT + ", with 'next' (pass it as 'after' for "
                + "the next page) or null on the last page. Cameras' events have stream 'source:<id>'.",
            Schemas.object(List.of(), filters(
                "limit", Schemas.integer("the most events in the page (default " + DEFAULT_LIMIT + ")", 1, MAX_LIMIT),
                "after", Schemas.string("the 'next' cursor of the previous page"),
                "order", Schemas.enumOf("desc: newest first (default); asc: oldest first", "desc", "asc"))),
            this::query),
        new McpTool("event_counts", "Count stored events",
            "How many stored events match the filters, per value of the group_by columns and per time bucket.",
            Schemas.object(List.of(), filters(
                "group_by", Schemas.stringOrList("columns to count by: type, label, line, zone, stream"),
                "bucket", Schemas.string("count per time bucket of this length: 30s, 15m, 1h, 1d"))),
            this::counts));
  }

  McpSchema.CallToolResult query(Args args) {
    EventStore events = store();
    Map<String, String> params = params(args);
    params.put("limit", Integer.toString(args.integer("limit", 1, MAX_LIMIT, DEFAULT_LIMIT)));
    args.optional("after").ifPresent(after -> params.put("after", after));
    args.optional("order").ifPresent(order -> params.put("order", order));
    var query = parsed(() -> EventParams.page(params));
    EventPage page = read(() -> events.query(query));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("events", page.events().stream().map(EventParams::toJson).toList());
    body.put("next", page.next().isPresent() ? Long.toString(page.next().getAsLong()) : null);
    return results.ok(body);
  }

  McpSchema.CallToolResult counts(Args args) {
    EventStore events = store();
    Map<String, String> params = params(args);
    String groupBy = args.list("group_by");
    if (groupBy != null) {
      params.put("group_by", groupBy);
    }
    args.optional("bucket").ifPresent(bucket -> params.put("bucket", bucket));
    EventCounts counts = parsed(() -> EventParams.counts(params));
    List<Map<String, Object>> rows = EventParams.toJson(read(() -> events.counts(counts)));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("group_by", counts.groupBy());
    body.put("bucket", params.get("bucket"));
    body.put("counts", rows);
    return results.ok(body);
  }

  /** The filters' schemas, then {@code more} (name, schema pairs). */
  private static Object[] filters(Object... more) {
    Object[] all = new Object[14 + more.length];
    int i = 0;
    for (String filter : FILTERS) {
      all[i++] = filter;
      all[i++] = Schemas.stringOrList("only events whose " + filter + " is one of these");
    }
    all[i++] = "since";
    all[i++] = Schemas.time("only events at or after this frame time");
    all[i++] = "until";
    all[i++] = Schemas.time("only events before this frame time");
    System.arraycopy(more, 0, all, i, more.length);
    return all;
  }

  private static Map<String, String> params(Args args) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String filter : FILTERS) {
      String value = args.list(filter);
      if (value != null) {
        params.put(filter, value);
      }
    }
    for (String time : List.of("since", "until")) {
      String value = args.time(time);
      if (value != null) {
        params.put(time, value);
      }
    }
    return params;
  }

  private EventStore store() {
    return store.orElseThrow(() -> new ToolError("events_disabled",
        "this server keeps no events (framewire.events.enabled = false, EVENTS_ENABLED)"));
  }

  private static <T> T parsed(java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw ToolError.invalid(e.getMessage());
    }
  }

  private static <T> T read(java.util.function.Supplier<T> query) {
    try {
      return query.get();
    } catch (EventStoreException e) {
      throw new ToolError("store_unavailable", "the event store cannot answer now");
    }
  }
}
