package io.framewire.tools.motion;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.tools.Tool;
import io.framewire.tools.ToolPlugin;
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
