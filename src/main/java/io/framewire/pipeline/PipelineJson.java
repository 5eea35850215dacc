package io.framewire.pipeline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Collectors;

/**
 * Reads and writes {@link PipelineDefinition}s in the snake_case JSON format.
 *
 * <p>Strict on purpose: unknown fields, duplicate keys and trailing content are errors, so a typo
 * such as {@code "entry_node"} fails loudly instead of silently producing a different pipeline.
 */
public final class PipelineJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private PipelineJson() {}

  /**
   * Parses one definition (not validated: see {@link PipelineValidator}).
   *
   * @throws PipelineValidationException for malformed JSON or unknown fields, with line and column
   */
  public static PipelineDefinition read(InputStream json) throws IOException {
    try {
      return MAPPER.readValue(json, PipelineDefinition.class);
    } catch (JsonProcessingException e) {
      throw new PipelineValidationException(describe(e));
    }
  }

  public static PipelineDefinition read(String json) {
    try {
      return MAPPER.readValue(json, PipelineDefinition.class);
    } catch (JsonProcessingException e) {
      throw new PipelineValidationException(describe(e));
    }
  }

  public static String write(PipelineDefinition pipeline) {
    try {
      return MAPPER.writeValueAsString(pipeline);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize pipeline '" + pipeline.id() + "'", e);
    }
  }

  /** Indented, for files people read and edit. */
  public static String writePretty(PipelineDefinition pipeline) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(pipeline) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize pipeline '" + pipeline.id() + "'", e);
    }
  }

  /** A one-line description: Jackson's full messages embed source excerpts and class names. */
  private static String describe(JsonProcessingException e) {
    String where = location(e.getLocation());
    if (e instanceof UnrecognizedPropertyException unknown) {
      String known =
          unknown.getKnownPropertyIds() == null
              ? ""
              : unknown.getKnownPropertyIds().stream()
                  .map(Object::toString)
                  .sorted()
                  .collect(Collectors.joining(", ", " (known fields: ", ")"));
      return "unknown field '" + unknown.getPropertyName() + "'" + path(unknown) + known + where;
    }
    if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      return "invalid pipeline JSON" + path(mismatch) + ": expected " + jsonType(mismatch.getTargetType())
          + found(mismatch) + where;
    }
    if (e instanceof ValueInstantiationException invalid && invalid.getCause() != null
        && invalid.getCause().getMessage() != null) {
      return "invalid pipeline JSON" + path(invalid) + ": " + invalid.getCause().getMessage() + where;
    }
    if (e instanceof JsonMappingException mapping) {
      return "invalid pipeline JSON" + path(mapping) + ": " + plain(e.getOriginalMessage()) + where;
    }
    return "malformed JSON: " + plain(e.getOriginalMessage()) + where;
  }

  /** The JSON name of what a Java type reads: a client knows JSON, not our classes. */
  private static String jsonType(Class<?> type) {
    if (type == String.class || type == char.class || type == Character.class) {
      return "a string";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == int.class || type == long.class || type == short.class || type == Integer.class || type == Long.class
        || type == Short.class || type == java.math.BigInteger.class) {
      return "an integer";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
      return "a number";
    }
    if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }

  private static final java.util.regex.Pattern TOKEN =
      java.util.regex.Pattern.compile("JsonToken\\.([A-Z_]+)|from (Array|Object|String|Integer|Floating-point|Boolean|Null)");

  /** ", found an array": the token Jackson's message names (its parser has moved on by now). */
  private static String found(MismatchedInputException e) {
    java.util.regex.Matcher m = TOKEN.matcher(String.valueOf(e.getOriginalMessage()));
    if (!m.find()) {
      return "";
    }
    String token = m.group(1) != null ? m.group(1) : m.group(2);
    return switch (token) {
      case "START_ARRAY", "Array" -> ", found an array";
      case "START_OBJECT", "FIELD_NAME", "Object" -> ", found an object";
      case "VALUE_STRING", "String" -> ", found a string";
      case "VALUE_NUMBER_INT", "Integer" -> ", found an integer";
      case "VALUE_NUMBER_FLOAT", "Floating-point" -> ", found a number";
      case "VALUE_TRUE", "VALUE_FALSE", "Boolean" -> ", found true or false";
      case "VALUE_NULL", "Null" -> ", found null";
      default -> "";
    };
  }

  /**
   * Jackson's sentence without what names its internals: {@code `java.lang.String`}, {@code (from
   * `StreamReadConstraints.getMaxNestingDepth()`)}, {@code JsonToken.START_ARRAY}.
   */
  static String plain(String message) {
    if (message == null) {
      return "unreadable value";
    }
    return message
        .replaceAll(" \\(from `[^`]*`\\)", "")
        .replaceAll(", from `[^`]*`", "")
        .replaceAll("\\(token `JsonToken\\.([A-Z_]+)`\\)", "($1)")
        .replaceAll("`[A-Za-z_$][\\w$]*(\\.[\\w$]+)+(\\(\\))?`", "value")
        .strip();
  }

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      } else if (ref.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
      }
    }
    // The last reference is the unknown field itself; keep only where it sits.
    if (e instanceof UnrecognizedPropertyException u && u.getPropertyName() != null) {
      String suffix = u.getPropertyName();
      int cut = path.lastIndexOf(suffix);
      if (cut >= 0 && cut + suffix.length() == path.length()) {
        path.setLength(Math.max(0, cut - (cut > 0 && path.charAt(cut - 1) == '.' ? 1 : 0)));
      }
    }
    return path.length() == 0 ? "" : " at " + path;
  }

  private static String location(JsonLocation location) {
    return location == null || location.getLineNr() < 0
        ? ""
        : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
  }
}
