package io.framewire.tools.motion;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.ParamSpec;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Plugin {@code motion}, tool {@code detect}: per-session background subtraction (stateful). */
public final class MotionPlugin implements ToolPlugin {

  @Override
  public String id() {
    return "motion";
  }

  @Override
  public Set<String> toolIds() {
    return Set.of("detect");
  }

  @Override
  public String description() {
    return "Motion detection by background subtraction.";
  }

  @Override
  public String description(String toolId) {
    return "detect".equals(toolId)
        ? "Regions that differ from the session's running-average background (motion{regions[{x,y,w,h}],score}). Stateful: one per session."
        : "";
  }

  @Override
  public Optional<List<ParamSpec>> params(String toolId) {
    return "detect".equals(toolId) ? Optional.of(MotionParams.SPECS) : Optional.empty();
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    if (!"detect".equals(toolId)) {
      throw new IllegalArgumentException("unknown tool '" + toolId + "' in plugin 'motion'");
    }
    return new MotionDetector(MotionParams.from(params));
  }

  @Override
  public boolean isStateful(String toolId) {
    return true; // the background model is the session's history
  }
}
