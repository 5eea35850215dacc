package io.framewire.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.ParamSpec;
import io.framewire.api.Placement;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Plugin {@code onnx}: tools {@code detect} and {@code classify} on ONNX models from MODELS_DIR.
 *
 * <p>Unlike the ServiceLoader plugins this one needs engine state (the {@link ModelRegistry} that
 * owns the models), so it is not listed in {@code META-INF/services}: the engine factory ({@code
 * io.framewire.engine.Engine}) constructs it with its registry and adds it to the {@link io.framewire.pipeline.ToolRegistry} next to the discovered
 * plugins ({@code ToolRegistry.fromClasspath(new OnnxPlugin(models))}). The tools are stateless and
 * shared by all sessions; closing one releases nothing, since the registry owns the model.
 *
 * <p>Params are declared through the schema ({@link DetectParams#SPECS}, {@link ClassifyParams#SPECS}):
 * the validator checks names, types, ranges and allowed values, and {@link #create} reads them
 * through the same schema, then checks what depends on the model (the file inside MODELS_DIR, that
 * ONNX Runtime loads it, its output shape against the format, labels and classes against its classes).
 */
public final class OnnxPlugin implements ToolPlugin {

  private final ModelRegistry models;

  public OnnxPlugin(ModelRegistry models) {
    this.models = Objects.requireNonNull(models, "models");
  }

  @Override
  public String id() {
    return "onnx";
  }

  @Override
  public Set<String> toolIds() {
    return Set.of("detect", "classify");
  }

  @Override
  public String description() {
    return "Your own ONNX models from MODELS_DIR: one loaded model shared by all sessions, batched across them.";
  }

  @Override
  public String description(String toolId) {
    return switch (toolId) {
      case "detect" -> "YOLOv8/YOLOv5 detector (detections[{x,y,w,h,score,class_id,label}], source-frame pixels);"
          + " letterbox, batched model run, class-wise NMS.";
      case "classify" -> "Image classifier, output [N, classes] (classes[{class_id,label,score}], best first);"
          + " resize and centre crop, batched model run.";
      default -> "";
    };
  }

  @Override
  public Optional<List<ParamSpec>> params(String toolId) {
    return switch (toolId) {
      case "detect" -> Optional.of(DetectParams.SPECS);
      case "classify" -> Optional.of(ClassifyParams.SPECS);
      default -> Optional.empty();
    };
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    return switch (toolId) {
      case "detect" -> OnnxDetector.create(models, DetectParams.from(params));
      case "classify" -> OnnxClassifier.create(models, ClassifyParams.from(params));
      default -> throw new IllegalArgumentException("unknown tool '" + toolId + "' in plugin 'onnx'");
    };
  }

  @Override
  public Placement defaultPlacement(String toolId) {
    // Model runs are the heavy work a cluster spreads: on a front with workers they run there, where
    // one loaded model batches the frames of every front's sessions. A single process runs them here.
    return Placement.WORKER;
  }

  /** Frames are decoded in colour once for the whole pipeline. */
  @Override
  public boolean usesColour(String toolId) {
    return true;
  }

  public ModelRegistry models() {
    return models;
  }
}
