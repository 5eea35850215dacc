package io.framewire.tools.track;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.ParamSpec;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Plugin {@code track}, tool {@code bytetrack}: multi-object tracking of a predecessor's boxes (stateful). */
public final class TrackPlugin implements ToolPlugin {

  @Override
  public String id() {
    return "track";
  }

  @Override
  public Set<String> toolIds() {
    return Set.of("bytetrack");
  }

  @Override
  public String description() {
    return "Multi-object tracking of detections across frames.";
  }

  @Override
  public String description(String toolId) {
    return "bytetrack".equals(toolId)
        ? "ByteTrack over the predecessor's detections (or motion regions): tracks[{track_id,label,score,x,y,w,h,age,hits,vx,vy}]. Stateful: one per stream."
        : "";
  }

  @Override
  public Optional<List<ParamSpec>> params(String toolId) {
    return "bytetrack".equals(toolId) ? Optional.of(TrackParams.SPECS) : Optional.empty();
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    if (!"bytetrack".equals(toolId)) {
      throw new IllegalArgumentException("unknown tool '" + toolId + "' in plugin 'track'");
    }
    return new TrackTool(TrackParams.from(params));
  }

  @Override
  public boolean isStateful(String toolId) {
    return true; // the tracks are the stream's history
  }
}
