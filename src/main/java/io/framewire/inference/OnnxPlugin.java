package io.framewire.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.tools.Tool;
import io.framewire.tools.ToolPlugin;
import java.util.Objects;
import java.util.Set;

/**
 * Plugin {@code onnx}: tools {@code detect} and {@code classify} on ONNX models from MODELS_DIR.
 *
 * <p>Unlike the ServiceLoader plugins this one needs server state (the {@link ModelRegistry} that
 * owns the models), so it is not listed in {@code META-INF/services}: the server constructs it with
 * its registry and adds it to the {@link io.framewire.tools.ToolRegistry} next to the discovered
 * plugins ({@code ToolRegistry.fromClasspath(new OnnxPlugin(models))}). The tools are stateless and
 * shared by all sessions; closing one releases nothing, since the registry owns the model.
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
  public Tool create(String toolId, JsonNode params) {
    return switch (toolId) {
      case "detect" -> OnnxDetector.create(models, DetectParams.from(params));
      case "classify" -> OnnxClassifier.create(models, ClassifyParams.from(params));
      default -> throw new IllegalArgumentException("unknown tool '" + toolId + "' in plugin 'onnx'");
    };
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
