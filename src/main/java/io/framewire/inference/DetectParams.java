package io.framewire.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;

/**
 * Validated {@code onnx/detect} params (docs/models.md).
 *
 * @param model file name in MODELS_DIR
 * @param format output layout: {@code yolov8} ({@code [N, 4+classes, anchors]}) or {@code yolov5}
 *     ({@code [N, anchors, 5+classes]}, with objectness)
 * @param confidence smallest score kept
 * @param iou overlap above which class-wise NMS drops the weaker box
 * @param maxDetections most detections answered per frame (best first)
 * @param classes labels to keep (null: all)
 * @param labels label per class id (null: the model's {@code names} metadata, else the id)
 */
public record DetectParams(
    String model, String format, double confidence, double iou, int maxDetections,
    List<String> classes, List<String> labels) {

  public static final Set<String> FORMATS = Set.of("yolov8", "yolov5");
  static final Set<String> FIELDS =
      Set.of("model", "format", "confidence", "iou", "max_detections", "classes", "labels");

  public static DetectParams from(JsonNode params) {
    ParamReader.refuseUnknown(params, FIELDS);
    return new DetectParams(
        ParamReader.string(params, "model", null),
        ParamReader.oneOf(params, "format", "yolov8", FORMATS),
        ParamReader.fraction(params, "confidence", 0.25),
        ParamReader.fraction(params, "iou", 0.45),
        ParamReader.positiveInt(params, "max_detections", 100),
        ParamReader.strings(params, "classes"),
        ParamReader.strings(params, "labels"));
  }
}
