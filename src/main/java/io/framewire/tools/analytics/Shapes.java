package io.framewire.tools.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.Suggestions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code lines} and {@code zones} params (type JSON in the schema, so checked here), collecting
 * every problem with the name of the line or zone it is about.
 */
final class Shapes {

  /** A counting line as given: {@code from} and {@code to} in the param's units. */
  record LineDef(String name, Point from, Point to) {}

  /** A zone as given: its polygon in the param's units, and its own {@code dwell_s} (null: the tool's). */
  record ZoneDef(String name, List<Point> points, Double dwellS) {}

  private static final List<String> LINE_KEYS = List.of("name", "from", "to");
  private static final List<String> ZONE_KEYS = List.of("name", "points", "dwell_s");

  private Shapes() {}

  /** @throws IllegalArgumentException naming every problem ({@code "; "}-separated) */
  static List<LineDef> lines(JsonNode json, boolean relative) {
    List<String> errors = new ArrayList<>();
    List<LineDef> lines = new ArrayList<>();
    List<JsonNode> items = items(json, "lines", "{\"name\", \"from\": [x, y], \"to\": [x, y]}", errors);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String where = where("line", item, i);
      if (!item.isObject()) {
        errors.add(where + " must be an object {\"name\", \"from\", \"to\"}, got " + item);
        continue;
      }
      int before = errors.size();
      unknownKeys(item, LINE_KEYS, where, errors);
      String name = name(item, where, names, errors);
      Point from = point(item.get("from"), "'from'", where, relative, errors);
      Point to = point(item.get("to"), "'to'", where, relative, errors);
      if (from != null && to != null && from.equals(to)) {
        errors.add(where + ": 'from' and 'to' are the same point");
      }
      if (errors.size() == before) {
        lines.add(new LineDef(name, from, to));
      }
    }
    throwIfAny(errors);
    return lines;
  }

  /** @throws IllegalArgumentException naming every problem ({@code "; "}-separated) */
  static List<ZoneDef> zones(JsonNode json, boolean relative) {
    List<String> errors = new ArrayList<>();
    List<ZoneDef> zones = new ArrayList<>();
    List<JsonNode> items = items(json, "zones", "{\"name\", \"points\": [[x, y], …]}", errors);
    Set<String> names = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      String where = where("zone", item, i);
      if (!item.isObject()) {
        errors.add(where + " must be an object {\"name\", \"points\"}, got " + item);
        continue;
      }
      int before = errors.size();
      unknownKeys(item, ZONE_KEYS, where, errors);
      String name = name(item, where, names, errors);
      JsonNode pointsJson = item.get("points");
      List<Point> points = new ArrayList<>();
      if (pointsJson == null || !pointsJson.isArray() || pointsJson.size() < 3) {
        errors.add(where + ": 'points' must be an array of at least 3 points [x, y], got " + pointsJson);
      } else {
        for (int p = 0; p < pointsJson.size(); p++) {
          points.add(point(pointsJson.get(p), "point " + (p + 1), where, relative, errors));
        }
        if (errors.size() == before && Math.abs(Geometry.area(points)) == 0) {
          errors.add(where + ": the points enclose no area (all on one line)");
        }
      }
      Double dwell = null;
      JsonNode dwellJson = item.get("dwell_s");
      if (dwellJson != null && !dwellJson.isNull()) {
        if (!dwellJson.isNumber() || !(dwellJson.doubleValue() > 0)) {
          errors.add(where + ": 'dwell_s' must be a number > 0, got " + dwellJson);
        } else {
          dwell = dwellJson.doubleValue();
        }
      }
      if (errors.size() == before) {
        zones.add(new ZoneDef(name, List.copyOf(points), dwell));
      }
    }
    throwIfAny(errors);
    return zones;
  }

  private static List<JsonNode> items(JsonNode json, String param, String shape, List<String> errors) {
    List<JsonNode> items = new ArrayList<>();
    if (json == null || !json.isArray() || json.isEmpty()) {
      errors.add("param '" + param + "' must be a non-empty array of " + shape + ", got " + json);
      return items;
    }
    json.forEach(items::add);
    return items;
  }

  /** {@code line 'door'} when it has a usable name, else {@code line 2} (1-based). */
  private static String where(String kind, JsonNode item, int index) {
    JsonNode name = item.get("name");
    return name != null && name.isTextual() && !name.textValue().isBlank()
        ? kind + " '" + name.textValue() + "'"
        : kind + " " + (index + 1);
  }

  private static void unknownKeys(JsonNode item, List<String> known, String where, List<String> errors) {
    for (Iterator<String> keys = item.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!known.contains(key)) {
        errors.add(where + ": unknown key '" + key + "'"
            + Suggestions.closest(key, known).map(c -> " (did you mean '" + c + "'?)")
                .orElse(" (known: " + String.join(", ", known) + ")"));
      }
    }
  }

  private static String name(JsonNode item, String where, Set<String> names, List<String> errors) {
    JsonNode name = item.get("name");
    if (name == null || !name.isTextual() || name.textValue().isBlank()) {
      errors.add(where + ": 'name' must be a non-empty string, got " + name);
      return null;
    }
    if (!names.add(name.textValue())) {
      errors.add(where + ": the name is used twice (names must be unique)");
    }
    return name.textValue();
  }

  private static Point point(JsonNode json, String what, String where, boolean relative, List<String> errors) {
    if (json == null || !json.isArray() || json.size() != 2 || !json.get(0).isNumber() || !json.get(1).isNumber()) {
      errors.add(where + ": " + what + " must be [x, y], got " + json);
      return null;
    }
    double x = json.get(0).doubleValue();
    double y = json.get(1).doubleValue();
    if (!Double.isFinite(x) || !Double.isFinite(y)) {
      errors.add(where + ": " + what + " must be finite numbers, got " + json);
      return null;
    }
    if (relative && (x < 0 || x > 1 || y < 0 || y > 1)) {
      errors.add(where + ": " + what + " must be in 0..1 with units 'relative', got " + json);
      return null;
    }
    return new Point(x, y);
  }

  private static void throwIfAny(List<String> errors) {
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
  }
}
