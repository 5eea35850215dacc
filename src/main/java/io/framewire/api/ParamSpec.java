package io.framewire.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * One parameter a tool accepts: the schema a plugin declares through {@link ToolPlugin#params}.
 *
 * <p>The same spec validates a pipeline node's {@code params} ({@link ParamValues#check}), is listed
 * by {@code GET /tools}, and gives the tool its values, defaults filled in ({@link
 * ParamValues#read}). Build one with the static factories and the {@code with…} methods:
 *
 * <pre>{@code
 * ParamSpec.integer("threshold", "luma difference that counts as changed").range(1, 255).withDefault(25)
 * ParamSpec.string("model", "path of the .onnx file").asRequired()
 * ParamSpec.stringList("formats", "barcode formats to look for").allowed(List.of("QR_CODE", "EAN_13"))
 * }</pre>
 *
 * @param name the key in {@code params}
 * @param type the JSON type the value must have
 * @param defaultValue used when the key is absent (null: none)
 * @param min smallest allowed value for numbers and number-list elements (null: unbounded)
 * @param max largest allowed value for numbers and number-list elements (null: unbounded)
 * @param exclusiveMin whether {@code min} itself is excluded (e.g. a rate in (0, 1])
 * @param allowed the only values allowed for strings and elements of string lists (empty: any)
 * @param required whether the key must be present
 * @param description one line for people choosing a value
 */
@JsonPropertyOrder({"name", "type", "default", "min", "max", "exclusive_min", "allowed", "required", "description"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ParamSpec(
    @JsonProperty("name") String name,
    @JsonProperty("type") Type type,
    @JsonProperty("default") Object defaultValue,
    @JsonProperty("min") Number min,
    @JsonProperty("max") Number max,
    @JsonProperty("exclusive_min") @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean exclusiveMin,
    @JsonProperty("allowed") @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> allowed,
    @JsonProperty("required") boolean required,
    @JsonProperty("description") String description) {

  /** The JSON types a param can have; serialized in lower case. */
  public enum Type {
    @JsonProperty("integer") INTEGER("an integer"),
    @JsonProperty("number") NUMBER("a number"),
    @JsonProperty("boolean") BOOLEAN("a boolean"),
    @JsonProperty("string") STRING("a string"),
    @JsonProperty("string_list") STRING_LIST("a non-empty array of strings"),
    /** Each element checked against min/max, e.g. per-channel means {@code [0.485, 0.456, 0.406]}. */
    @JsonProperty("number_list") NUMBER_LIST("a non-empty array of numbers"),
    /** Any JSON value, unchecked beyond presence: the tool checks it in {@code create}. */
    @JsonProperty("json") JSON("any JSON value");

    final String noun;

    Type(String noun) {
      this.noun = noun;
    }
  }

  public ParamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    allowed = allowed == null ? List.of() : List.copyOf(allowed);
    description = description == null ? "" : description;
  }

  public static ParamSpec integer(String name, String description) {
    return new ParamSpec(name, Type.INTEGER, null, null, null, false, List.of(), false, description);
  }

  public static ParamSpec number(String name, String description) {
    return new ParamSpec(name, Type.NUMBER, null, null, null, false, List.of(), false, description);
  }

  public static ParamSpec bool(String name, String description) {
    return new ParamSpec(name, Type.BOOLEAN, null, null, null, false, List.of(), false, description);
  }

  public static ParamSpec string(String name, String description) {
    return new ParamSpec(name, Type.STRING, null, null, null, false, List.of(), false, description);
  }

  public static ParamSpec stringList(String name, String description) {
    return new ParamSpec(name, Type.STRING_LIST, null, null, null, false, List.of(), false, description);
  }

  public static ParamSpec numberList(String name, String description) {
    return new ParamSpec(name, Type.NUMBER_LIST, null, null, null, false, List.of(), false, description);
  }

  public static ParamSpec json(String name, String description) {
    return new ParamSpec(name, Type.JSON, null, null, null, false, List.of(), false, description);
  }

  /** The value used when the key is absent (an Integer/Long, Double, Boolean, String or List of String). */
  public ParamSpec withDefault(Object value) {
    return new ParamSpec(name, type, value, min, max, exclusiveMin, allowed, required, description);
  }

  /** Inclusive range; either bound may be null. */
  public ParamSpec range(Number min, Number max) {
    return new ParamSpec(name, type, defaultValue, min, max, false, allowed, required, description);
  }

  /** At least {@code min} (inclusive). */
  public ParamSpec min(Number min) {
    return range(min, max);
  }

  /** More than {@code min} (exclusive), at most {@code max} (inclusive; null: unbounded). */
  public ParamSpec rangeAbove(Number min, Number max) {
    return new ParamSpec(name, type, defaultValue, min, max, true, allowed, required, description);
  }

  public ParamSpec allowed(List<String> values) {
    return new ParamSpec(name, type, defaultValue, min, max, exclusiveMin, values, required, description);
  }

  public ParamSpec asRequired() {
    return new ParamSpec(name, type, defaultValue, min, max, exclusiveMin, allowed, true, description);
  }
}
