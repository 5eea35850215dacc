package io.framewire.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.ParamSpec;
import io.framewire.api.ParamValues;
import java.util.List;

/**
 * Validated {@code onnx/detect} params, read through their schema ({@link #SPECS}), which the
 * validator checks and {@code GET /tools} lists (docs/models.md). What depends on the model (the
 * file, its output shape, labels and classes against its classes) is checked when the tool is
 * created ({@link OnnxDetector#create}).
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

  public static final List<String> FORMATS = List.of("yolov8", "yolov5");

  static final List<ParamSpec> SPECS = List.of(
      ParamSpec.string("model", "file name of the .onnx model in MODELS_DIR (subfolders allowed; nothing outside it)")
          .asRequired(),
      ParamSpec.string("format", "output layout: yolov8 [N, 4+classes, anchors] (YOLOv8, YOLO11, other Ultralytics"
              + " detect exports) or yolov5 [N, anchors, 5+classes] with objectness")
          .allowed(FORMATS).withDefault("yolov8"),
      ParamSpec.number("confidence", "smallest score kept").range(0, 1).withDefault(0.25),
      ParamSpec.number("iou", "NMS: a box overlapping a better box of its class by more than this is dropped")
          .range(0, 1).withDefault(0.45),
      ParamSpec.integer("max_detections", "most detections per frame, best first").min(1).withDefault(100),
      ParamSpec.stringList("classes", "labels to keep, e.g. [\"person\", \"car\"]; absent: all;"
          + " a label the model does not have is refused"),
      ParamSpec.stringList("labels", "labels by class id; absent: the model's names metadata, else the class id"));

  /**
   * @throws IllegalArgumentException naming every problem of the params (the validator reports the
   *     same ones before creating the tool)
   */
  public static DetectParams from(JsonNode params) {
    ParamValues values = ParamValues.read(SPECS, params);
    return new DetectParams(
        values.string("model"),
        values.string("format"),
        values.number("confidence"),
        values.number("iou"),
        ClassifyParams.atMostInt(values.integer("max_detections")),
        ClassifyParams.nonEmpty("classes", values.stringList("classes")),
        ClassifyParams.nonEmpty("labels", values.stringList("labels")));
  }
}
