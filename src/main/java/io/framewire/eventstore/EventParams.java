package io.framewire.eventstore;

import io.framewire.api.FrameTime;
import io.framewire.events.StoredEvent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The events API's parameters as text ({@code stream}, {@code type}, {@code label}, {@code line},
 * {@code zone}: comma-separated lists; {@code since}/{@code until}; {@code limit}, {@code after},
 * {@code order}; {@code group_by}, {@code bucket}) read into queries, and a stored event as the API
 * shows it: one reading for {@code GET /events} and the MCP tools, so both refuse the same values
 * with the same words. A bad value throws {@link IllegalArgumentException} naming the parameter.
 */
public final class EventParams {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(s|m|h|d)");

  private EventParams() {}

  /** The filters of {@code params} with this paging. */
  public static EventQuery filter(Map<String, String> params, int limit, boolean ascending, OptionalLong after) {
    OptionalLong since = time("since", params.get("since"));
    OptionalLong until = time("until", params.get("until"));
    if (since.isPresent() && until.isPresent() && since.getAsLong() >= until.getAsLong()) {
      throw new IllegalArgumentException("since must be before until");
    }
    return new EventQuery(split(params.get("stream")), split(params.get("type")), split(params.get("label")),
        split(params.get("line")), split(params.get("zone")), since, until, after, limit, ascending);
  }

  /** A page query: the filters, {@code limit}, {@code order} and {@code after}. */
  public static EventQuery page(Map<String, String> params) {
    return filter(params, limit(params.get("limit")), order(params.get("order")), cursor("after", params.get("after")));
  }

  /** A counts query: the filters, {@code group_by} and {@code bucket}. */
  public static EventCounts counts(Map<String, String> params) {
    return new EventCounts(filter(params, EventQuery.DEFAULT_LIMIT, false, OptionalLong.empty()),
        split(params.get("group_by")), bucket(params.get("bucket")));
  }

  /** Refuses a parameter outside {@code known} ({@code token}, the access rule's, is not listed). */
  public static void refuseUnknown(Map<String, String> params, Set<String> known) {
    for (String name : params.keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown parameter '" + name + "'; known: "
            + String.join(", ", known.stream().filter(k -> !k.equals("token")).sorted().toList()));
      }
    }
  }

  /** A comma-separated list, blanks dropped; null: empty. */
  public static List<String> split(String value) {
    return value == null ? List.of()
        : Arrays.stream(value.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
  }

  static int limit(String value) {
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

  static boolean order(String value) {
    if (value == null || value.equals("desc")) {
      return false;
    }
    if (value.equals("asc")) {
      return true;
    }
    throw new IllegalArgumentException("order must be asc (oldest first) or desc (newest first), got '" + value + "'");
  }

  static OptionalLong cursor(String name, String value) {
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
  static OptionalLong time(String name, String value) {
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
  public static OptionalLong bucket(String value) {
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

  /** An event as the API shows it: its columns, then its own fields (which cannot shadow a column). */
  public static Map<String, Object> toJson(StoredEvent event) {
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

  /** Counts rows as the API shows them: {@code bucket} (ISO-8601) when bucketed, the group's values, {@code count}. */
  public static List<Map<String, Object>> toJson(List<EventCounts.Row> rows) {
    return rows.stream().map(row -> {
      Map<String, Object> out = new LinkedHashMap<>();
      row.bucketStartMillis().ifPresent(b -> out.put("bucket", FrameTime.iso(b)));
      out.putAll(row.group());
      out.put("count", row.count());
      return out;
    }).toList();
  }
}
