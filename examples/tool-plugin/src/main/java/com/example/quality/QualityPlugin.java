package com.example.quality;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.ParamSpec;
import io.framewire.api.ParamValues;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Plugin {@code quality}, tool {@code gate}: says whether a frame is bright and sharp enough to be
 * worth running a model on. Found by framewire through
 * {@code META-INF/services/io.framewire.api.ToolPlugin}.
 */
public final class QualityPlugin implements ToolPlugin {

  static final List<ParamSpec> GATE_PARAMS = List.of(
      ParamSpec.number("min_brightness", "Frames whose mean luma (0..255) is below this are too dark.")
          .withDefault(40.0).range(0, 255),
      ParamSpec.number("min_sharpness", "Frames whose variance of the Laplacian is below this are too blurry.")
          .withDefault(100.0).min(0),
      ParamSpec.integer("step", "Sample every step-th pixel in each direction (1 = every pixel).")
          .withDefault(2L).range(1, 16));

  @Override
  public String id() {
    return "quality";
  }

  @Override
  public Set<String> toolIds() {
    return Set.of("gate");
  }

  @Override
  public String description() {
    return "Frame quality checks (example plugin).";
  }

  @Override
  public String description(String toolId) {
    return "gate".equals(toolId)
        ? "quality{brightness, sharpness, ok, reasons[too_dark|too_blurry]} from the frame's gray view."
        : "";
  }

  @Override
  public Optional<List<ParamSpec>> params(String toolId) {
    return "gate".equals(toolId) ? Optional.of(GATE_PARAMS) : Optional.empty();
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    if (!"gate".equals(toolId)) {
      throw new IllegalArgumentException("unknown tool '" + toolId + "' in plugin 'quality'");
    }
    // params is never null (an empty object when the node has none): defaults come from the schema.
    ParamValues values = ParamValues.read(GATE_PARAMS, params);
    return new QualityGate(
        values.number("min_brightness"), values.number("min_sharpness"), values.integer("step").intValue());
  }

  // Stateless (the default): one instance is shared by every session, so QualityGate keeps no
  // per-frame fields. Blocking (the default): gray() may decode the JPEG, which takes milliseconds.
}
