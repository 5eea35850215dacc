package io.framewire.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * Validated {@code onnx/classify} params (docs/models.md).
 *
 * @param model file name in MODELS_DIR
 * @param topK how many classes are answered, best first
 * @param labels label per class id (null: the model's {@code names} metadata, else the id)
 * @param normalize whether inputs get ImageNet mean/std normalization (false: plain 0..1)
 */
public record ClassifyParams(String model, int topK, List<String> labels, boolean normalize) {

  static final Set<String> FIELDS = Set.of("model", "top_k", "labels", "normalize");

  public static ClassifyParams from(JsonNode params) {
    ParamReader.refuseUnknown(params, FIELDS);
    return new ClassifyParams(
        ParamReader.string(params, "model", null),
        ParamReader.positiveInt(params, "top_k", 5),
        ParamReader.strings(params, "labels"),
        ParamReader.bool(params, "normalize", true));
  }
}
