package io.framewire.inference;

import io.framewire.api.AsyncTool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Tool {@code onnx/detect}: a YOLO detector. Letterbox on the tool pool, the model run batched with
 * other sessions' frames ({@link LoadedModel#infer}), postprocessing back on the tool pool; no thread
 * is held while the frame waits for its run. Output {@code {"detections": [{x, y, w, h, score,
 * class_id, label}]}}, x/y the top-left corner in source-frame pixels.
 */
final class OnnxDetector implements AsyncTool {

  private final ModelRegistry models;
  private final LoadedModel model;
  private final DetectParams params;
  private final boolean yolov5;
  private final Labels labels;
  private final boolean[] keep; // null: every class

  private OnnxDetector(ModelRegistry models, LoadedModel model, DetectParams params, Labels labels, boolean[] keep) {
    this.models = models;
    this.model = model;
    this.params = params;
    this.yolov5 = params.format().equals("yolov5");
    this.labels = labels;
    this.keep = keep;
  }

  /** Loads (or reuses) the model and checks that its output fits the params. */
  static OnnxDetector create(ModelRegistry models, DetectParams params) {
    LoadedModel model = models.load(params.model());
    ModelInfo info = model.info();
    long[] out = info.outputShape();
    String name = model.name();
    boolean v5 = params.format().equals("yolov5");
    String layout = v5 ? "[N, anchors, 5+classes]" : "[N, 4+classes, anchors]";
    String other = v5 ? "yolov8" : "yolov5";
    if (out.length != 3) {
      throw new IllegalArgumentException("model '" + name + "' output " + ModelInfo.shape(out)
          + " is not a YOLO detector output (format " + params.format() + " expects " + layout + ")");
    }
    long classDim = v5 ? out[2] : out[1];
    long anchorDim = v5 ? out[1] : out[2];
    int classes = classDim > 0 ? (int) classDim - (v5 ? 5 : 4) : -1;
    int named = info.names().size();
    boolean fits = classDim < 0 || classes >= 1;
    if (fits && classes >= 1 && named > 0) {
      fits = classes == named;
    } else if (fits && classDim > 0 && anchorDim > 0) {
      fits = classDim < anchorDim; // detectors have far more anchors than classes
    }
    if (!fits) {
      throw new IllegalArgumentException("model '" + name + "' output " + ModelInfo.shape(out)
          + " does not fit format '" + params.format() + "' " + layout
          + (named > 0 ? " with its " + named + " names" : "") + "; is it format '" + other + "'?");
    }
    if (params.labels() != null && classes >= 1 && params.labels().size() != classes) {
      throw new IllegalArgumentException("param 'labels' has " + params.labels().size() + " labels, model '" + name
          + "' has " + classes + " classes");
    }
    Labels labels = new Labels(params.labels(), info.names());
    boolean[] keep = null;
    if (params.classes() != null) {
      int known = classes >= 1 ? classes : labels.known();
      if (known < 1) {
        throw new IllegalArgumentException("param 'classes' needs labels: model '" + name + "' has no names metadata");
      }
      keep = new boolean[known];
      for (String label : params.classes()) {
        int id = labels.idOf(label, known);
        if (id < 0) {
          List<String> all = new ArrayList<>();
          for (int c = 0; c < known && all.size() < 20; c++) {
            all.add(labels.of(c));
          }
          throw new IllegalArgumentException("param 'classes': '" + label + "' is not a label of model '" + name
              + "' (labels: " + all + (known > 20 ? ", …" : "") + ")");
        }
        keep[id] = true;
      }
    }
    return new OnnxDetector(models, model, params, labels, keep);
  }

  @Override
  public CompletionStage<Map<String, Object>> applyAsync(Map<String, Object> input) {
    ModelInfo info = model.info();
    return ModelCall.onFrame(models, model, input,
        (pixels, chw) -> Letterbox.into(pixels, info.width(), info.height(), chw), this::detections);
  }

  Map<String, Object> detections(ModelOutput output, Letterbox letterbox) {
    List<YoloDecoder.Box> boxes = YoloDecoder.nms(
        YoloDecoder.decode(output.values(), output.shape(), yolov5, (float) params.confidence(), keep),
        (float) params.iou(), params.maxDetections());
    List<Map<String, Object>> detections = new ArrayList<>(boxes.size());
    for (YoloDecoder.Box box : boxes) {
      double x1 = letterbox.toSourceX(box.x1());
      double y1 = letterbox.toSourceY(box.y1());
      double x2 = letterbox.toSourceX(box.x2());
      double y2 = letterbox.toSourceY(box.y2());
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("x", Labels.round(x1, 1));
      d.put("y", Labels.round(y1, 1));
      d.put("w", Labels.round(x2 - x1, 1));
      d.put("h", Labels.round(y2 - y1, 1));
      d.put("score", Labels.round(box.score(), 4));
      d.put("class_id", box.classId());
      d.put("label", labels.of(box.classId()));
      detections.add(d);
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("detections", detections);
    return result;
  }

  LoadedModel model() {
    return model;
  }
}
