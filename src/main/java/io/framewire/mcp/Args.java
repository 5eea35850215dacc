package io.framewire.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A tool call's arguments, read with the checks a model needs to hear about ({@link ToolError}). */
final class Args {

  private final Map<String, Object> values;
  private final Caller caller;

  Args(Map<String, Object> values) {
    this(values, Caller.reader("no caller"));
  }

  Args(Map<String, Object> values, Caller caller) {
    this.values = values == null ? Map.of() : values;
    this.caller = caller;
  }

  /** Who calls: for the tools that change the server ({@link Caller#requireAdmin}). */
  Caller caller() {
    return caller;
  }

  /** A non-blank string. */
  String required(String name) {
    return optional(name).orElseThrow(() -> ToolError.invalid("'" + name + "' is required"));
  }

  Optional<String> optional(String name) {
    Object value = values.get(name);
    if (value == null) {
      return Optional.empty();
    }
    if (!(value instanceof String text)) {
      throw ToolError.invalid("'" + name + "' must be a string");
    }
    return text.isBlank() ? Optional.empty() : Optional.of(text.trim());
  }

  /** A whole number in {@code min..max}, or {@code fallback} when absent. */
  int integer(String name, int min, int max, int fallback) {
    Object value = values.get(name);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
        && n.doubleValue() >= min && n.doubleValue() <= max) {
      return n.intValue();
    }
    throw ToolError.invalid("'" + name + "' must be a whole number " + min + ".." + max + ", got " + value);
  }

  /** A string or a list of strings, as the events API's comma-separated text (null when absent). */
  String list(String name) {
    Object value = values.get(name);
    if (value == null) {
      return null;
    }
    if (value instanceof String text) {
      return text;
    }
    if (value instanceof List<?> items) {
      List<String> texts = new ArrayList<>();
      for (Object item : items) {
        if (!(item instanceof String text) || text.contains(",")) {
          throw ToolError.invalid("'" + name + "' must be a string or a list of strings without commas");
        }
        texts.add(text);
      }
      return String.join(",", texts);
    }
    throw ToolError.invalid("'" + name + "' must be a string or a list of strings");
  }

  /** A string, or a number (epoch milliseconds) as text; null when absent. */
  String time(String name) {
    Object value = values.get(name);
    if (value instanceof Number n) {
      return Long.toString(n.longValue());
    }
    return optional(name).orElse(null);
  }
}
