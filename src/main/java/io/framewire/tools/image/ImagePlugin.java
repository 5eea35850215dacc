package io.framewire.tools.image;

import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.GrayImage;
import io.framewire.api.image.JpegDecoder;
import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.ParamSpec;
import io.framewire.api.ParamValues;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Plugin {@code image}, tool {@code info}: the frame's size and mean luminance, from its shared
 * {@link DecodedFrame} (decoded once per frame for all nodes). Stateless and shared by all sessions (it holds no fields).
 */
public final class ImagePlugin implements ToolPlugin {

  @Override
  public String id() {
    return "image";
  }

  @Override
  public Set<String> toolIds() {
    return Set.of("info");
  }

  @Override
  public String description() {
    return "Frame decoding and image facts.";
  }

  @Override
  public String description(String toolId) {
    return "info".equals(toolId)
        ? "Decodes the frame (once, shared by all nodes) and reports width, height and mean_luminance."
        : "";
  }

  @Override
  public Optional<List<ParamSpec>> params(String toolId) {
    return "info".equals(toolId) ? Optional.of(List.of()) : Optional.empty();
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    if (!"info".equals(toolId)) {
      throw new IllegalArgumentException("unknown tool '" + toolId + "' in plugin 'image'");
    }
    ParamValues.read(List.of(), params);
    return ImagePlugin::info;
  }

  /** {@code width}, {@code height}, {@code mean_luminance} (0–255, 2 decimals) */
  static Map<String, Object> info(Map<String, Object> input) {
    GrayImage gray = JpegDecoder.grayOf(input);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("width", gray.width());
    out.put("height", gray.height());
    out.put("mean_luminance", Math.round(meanLuminance(gray) * 100) / 100.0);
    return out;
  }

  static double meanLuminance(GrayImage gray) {
    byte[] luma = gray.luma();
    long sum = 0;
    for (byte b : luma) {
      sum += b & 0xFF;
    }
    return (double) sum / luma.length;
  }
}
