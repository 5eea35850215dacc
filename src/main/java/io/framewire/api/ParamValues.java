package io.framewire.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A node's {@code params} checked against its tool's {@link ParamSpec}s, with defaults filled in.
 *
 * <p>The one place params are checked: the pipeline validator calls {@link #check} to report every
 * problem; a tool calls {@link #read} in {@link ToolPlugin#create} and reads its values with {@link
 * #integer}, {@link #number}, … so the defaults and ranges it runs with are the ones {@code GET /tools}
 * shows. A JSON {@code null} counts as absent.
 */
public final class ParamValues {

  private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

  private final Map<String, Object> values;

  private ParamValues(Map<String, Object> values) {
    this.values = values;
  }

  /**
   * Every problem of {@code params} (a JSON object, or null for none) against {@code specs}, each a
   * message such as {@code unknown param 'treshold' (did you mean 'threshold'?)}; empty if valid.
   */
  public static List<String> check(List<ParamSpec> specs, JsonNode params) {
    List<String> errors = new ArrayList<>();
    parse(specs, params, errors);
    return errors;
  }

  /**
   * Checks and reads {@code params}.
   *
   * @throws IllegalArgumentException naming every problem ({@code "; "}-separated)
   */
  public static ParamValues read(List<ParamSpec> specs, JsonNode params) {
    List<String> errors = new ArrayList<>();
    Map<String, Object> values = parse(specs, params, errors);
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    return new ParamValues(values);
  }

  private static Map<String, Object> parse(List<ParamSpec> specs, JsonNode params, List<String> errors) {
    Map<String, ParamSpec> byName = new LinkedHashMap<>();
    specs.forEach(spec -> byName.put(spec.name(), spec));
    Map<String, Object> values = new LinkedHashMap<>();
    if (params != null && !params.isNull() && !params.isObject()) {
      errors.add("'params' must be a JSON object");
      return values;
    }
    if (params != null && params.isObject()) {
      params.fieldNames().forEachRemaining(key -> {
        if (!byName.containsKey(key)) {
          errors.add(unknown(key, byName.keySet()));
        }
      });
    }
    for (ParamSpec spec : specs) {
      JsonNode value = params == null ? null : params.get(spec.name());
      if (value == null || value.isNull()) {
        if (spec.required()) {
          errors.add("missing required param '" + spec.name() + "' (" + spec.type().noun + ")");
        }
        values.put(spec.name(), spec.defaultValue());
        continue;
      }
      Object parsed = convert(spec, value, errors);
      values.put(spec.name(), parsed);
    }
    return values;
  }

  private static String unknown(String key, java.util.Set<String> known) {
    if (known.isEmpty()) {
      return "unknown param '" + key + "' (this tool takes no params)";
    }
    Optional<String> close = Suggestions.closest(key, known);
    return close
        .map(c -> "unknown param '" + key + "' (did you mean '" + c + "'?)")
        .orElseGet(() -> "unknown param '" + key + "' (known: " + String.join(", ", known) + ")");
  }

  private static Object convert(ParamSpec spec, JsonNode value, List<String> errors) {
    String name = "param '" + spec.name() + "'";
    switch (spec.type()) {
      case INTEGER -> {
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
          errors.add(name + " must be an integer, got " + value);
          return null;
        }
        long v = value.longValue();
        return inRange(spec, name, v, value, errors) ? (Object) v : null;
      }
      case NUMBER -> {
        if (!value.isNumber()) {
          errors.add(name + " must be a number, got " + value);
          return null;
        }
        double v = value.doubleValue();
        return inRange(spec, name, v, value, errors) ? (Object) v : null;
      }
      case BOOLEAN -> {
        if (!value.isBoolean()) {
          errors.add(name + " must be a boolean (true or false), got " + value);
          return null;
        }
        return value.booleanValue();
      }
      case STRING -> {
        if (!value.isTextual()) {
          errors.add(name + " must be a string, got " + value);
          return null;
        }
        return allowedValue(spec, name, value.textValue(), errors) ? value.textValue() : null;
      }
      case STRING_LIST -> {
        if (!value.isArray() || value.isEmpty()) {
          errors.add(name + " must be " + spec.type().noun + ", got " + value);
          return null;
        }
        List<String> list = new ArrayList<>();
        boolean ok = true;
        for (JsonNode element : value) {
          if (!element.isTextual()) {
            errors.add(name + " must contain only strings, got " + element);
            ok = false;
          } else if (!allowedValue(spec, name, element.textValue(), errors)) {
            ok = false;
          } else {
            list.add(element.textValue());
          }
        }
        return ok ? Collections.unmodifiableList(list) : null;
      }
      case NUMBER_LIST -> {
        if (!value.isArray() || value.isEmpty()) {
          errors.add(name + " must be " + spec.type().noun + ", got " + value);
          return null;
        }
        List<Double> list = new ArrayList<>();
        boolean ok = true;
        for (JsonNode element : value) {
          if (!element.isNumber()) {
            errors.add(name + " must contain only numbers, got " + element);
            ok = false;
          } else if (!inRange(spec, name + " element", element.doubleValue(), element, errors)) {
            ok = false;
          } else {
            list.add(element.doubleValue());
          }
        }
        return ok ? Collections.unmodifiableList(list) : null;
      }
      case JSON -> {
        return value.deepCopy();
      }
      default -> throw new IllegalStateException("unhandled type " + spec.type());
    }
  }

  private static boolean inRange(ParamSpec spec, String name, double v, JsonNode raw, List<String> errors) {
    Double min = spec.min() == null ? null : spec.min().doubleValue();
    Double max = spec.max() == null ? null : spec.max().doubleValue();
    boolean tooLow = min != null && (spec.exclusiveMin() ? v <= min : v < min);
    boolean tooHigh = max != null && v > max;
    if (tooLow || tooHigh) {
      errors.add(name + " must be " + describeRange(spec) + ", got " + raw);
      return false;
    }
    return true;
  }

  /** {@code 1..255}, {@code >= 1}, {@code in (0, 1]}, … */
  public static String describeRange(ParamSpec spec) {
    String min = spec.min() == null ? null : plain(spec.min());
    String max = spec.max() == null ? null : plain(spec.max());
    if (min != null && max != null) {
      return spec.exclusiveMin() ? "in (" + min + ", " + max + "]" : "in " + min + ".." + max;
    }
    if (min != null) {
      return (spec.exclusiveMin() ? "> " : ">= ") + min;
    }
    return max == null ? "any value" : "<= " + max;
  }

  private static String plain(Number n) {
    double d = n.doubleValue();
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static boolean allowedValue(ParamSpec spec, String name, String value, List<String> errors) {
    if (spec.allowed().isEmpty() || spec.allowed().contains(value)) {
      return true;
    }
    String hint = Suggestions.closest(value, spec.allowed()).map(c -> "did you mean '" + c + "'? ").orElse("");
    errors.add(name + " has unknown value '" + value + "' (" + hint + "allowed: "
        + spec.allowed().stream().collect(Collectors.joining(", ")) + ")");
    return false;
  }

  /** An {@link ParamSpec.Type#INTEGER} value (its default when absent), or null when neither exists. */
  public Long integer(String name) {
    Object v = known(name);
    return v == null ? null : ((Number) v).longValue();
  }

  /** An {@link ParamSpec.Type#INTEGER} or {@link ParamSpec.Type#NUMBER} value as a double. */
  public Double number(String name) {
    Object v = known(name);
    return v == null ? null : ((Number) v).doubleValue();
  }

  public Boolean bool(String name) {
    return (Boolean) known(name);
  }

  public String string(String name) {
    return (String) known(name);
  }

  @SuppressWarnings("unchecked")
  public List<String> stringList(String name) {
    return (List<String>) known(name);
  }

  @SuppressWarnings("unchecked")
  public List<Double> numberList(String name) {
    return (List<Double>) known(name);
  }

  /** A {@link ParamSpec.Type#JSON} value as given (a copy); a default given as a Java value is converted. */
  public JsonNode json(String name) {
    Object v = known(name);
    return v == null || v instanceof JsonNode ? (JsonNode) v : MAPPER.valueToTree(v);
  }

  private Object known(String name) {
    if (!values.containsKey(name)) {
      throw new IllegalArgumentException("no param '" + name + "' in this tool's schema");
    }
    return values.get(name);
  }
}
