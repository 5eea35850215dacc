package io.framewire.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads one node's params with messages that name the param and the accepted values. */
final class ParamReader {

  private ParamReader() {}

  static void refuseUnknown(JsonNode params, Set<String> known) {
    params.fieldNames().forEachRemaining(field -> {
      if (!known.contains(field)) {
        throw new IllegalArgumentException("unknown param '" + field + "' (known: " + new java.util.TreeSet<>(known) + ")");
      }
    });
  }

  static String string(JsonNode params, String field, String fallback) {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException("params." + field + " must be a string, got " + value);
    }
    return value.textValue();
  }

  static String oneOf(JsonNode params, String field, String fallback, Set<String> allowed) {
    String value = string(params, field, fallback).toLowerCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException("params." + field + " must be one of " + new java.util.TreeSet<>(allowed)
          + ", got '" + value + "'");
    }
    return value;
  }

  static double fraction(JsonNode params, String field, double fallback) {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber() || value.doubleValue() < 0 || value.doubleValue() > 1) {
      throw new IllegalArgumentException("params." + field + " must be a number in [0, 1], got " + value);
    }
    return value.doubleValue();
  }

  static int positiveInt(JsonNode params, String field, int fallback) {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 1) {
      throw new IllegalArgumentException("params." + field + " must be an integer >= 1, got " + value);
    }
    return value.intValue();
  }

  static boolean bool(JsonNode params, String field, boolean fallback) {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw new IllegalArgumentException("params." + field + " must be true or false, got " + value);
    }
    return value.booleanValue();
  }

  /** A list of non-empty strings, or null when absent. */
  static List<String> strings(JsonNode params, String field) {
    JsonNode value = params.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isArray()) {
      throw new IllegalArgumentException("params." + field + " must be a list of strings, got " + value);
    }
    List<String> list = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual() || item.textValue().isEmpty()) {
        throw new IllegalArgumentException("params." + field + " must be a list of non-empty strings, got " + item);
      }
      list.add(item.textValue());
    }
    return List.copyOf(list);
  }
}
