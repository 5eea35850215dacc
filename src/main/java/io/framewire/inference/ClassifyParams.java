package io.framewire.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.ParamSpec;
import io.framewire.api.ParamValues;
import java.util.List;

/**
 * Validated {@code onnx/classify} params, read through their schema ({@link #SPECS}), which the
 * validator checks and {@code GET /tools} lists (docs/models.md). The model file, its output shape
 * and the labels against its classes are checked when the tool is created ({@link
 * OnnxClassifier#create}).
 *
 * @param model file name in MODELS_DIR
 * @param topK how many classes are answered, best first
 * @param labels label per class id (null: the model's {@code names} metadata, else the id)
 * @param normalize whether inputs get ImageNet mean/std normalization (false: plain 0..1)
 */
public record ClassifyParams(String model, int topK, List<String> labels, boolean normalize) {

  static final List<ParamSpec> SPECS = List.of(
      ParamSpec.string("model", "file name of the .onnx model in MODELS_DIR (subfolders allowed; nothing outside it)")
          .asRequired(),
      ParamSpec.integer("top_k", "how many classes are answered, best first").min(1).withDefault(5),
      ParamSpec.stringList("labels", "labels by class id; absent: the model's names metadata, else the class id"),
      ParamSpec.bool("normalize", "ImageNet mean/std normalization; false for plain 0..1 (Ultralytics classify exports)")
          .withDefault(true));

  /**
   * @throws IllegalArgumentException naming every problem of the params (the validator reports the
   *     same ones before creating the tool)
   */
  public static ClassifyParams from(JsonNode params) {
    ParamValues values = ParamValues.read(SPECS, params);
    return new ClassifyParams(
        values.string("model"),
        atMostInt(values.integer("top_k")),
        nonEmpty("labels", values.stringList("labels")),
        values.bool("normalize"));
  }

  /** An "at most n" count: beyond int range it means the same as the largest int. */
  static int atMostInt(long n) {
    return (int) Math.min(n, Integer.MAX_VALUE);
  }

  /** A label list (null when absent) whose labels are not empty strings. */
  static List<String> nonEmpty(String param, List<String> labels) {
    if (labels != null && labels.stream().anyMatch(String::isEmpty)) {
      throw new IllegalArgumentException("param '" + param + "' must not contain empty labels, got " + labels);
    }
    return labels;
  }
}
