package io.framewire.tools.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.ParamSpec;
import io.framewire.api.ParamValues;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Plugin {@code analytics}: {@code lines} and {@code zones} over a tracker's tracks (stateful: one per stream). */
public final class AnalyticsPlugin implements ToolPlugin {

  @Override
  public String id() {
    return "analytics";
  }

  @Override
  public Set<String> toolIds() {
    return Set.of("lines", "zones");
  }

  @Override
  public String description() {
    return "Counting lines and zones over tracks (track/bytetrack), with events.";
  }

  @Override
  public String description(String toolId) {
    return switch (toolId) {
      case "lines" -> "Tracks crossing each line, by direction and label: lines{name:{in,out,in_by_label,out_by_label}};"
          + " line_crossed events. Stateful: one per stream.";
      case "zones" -> "Tracks inside each zone, entries and exits: zones{name:{inside,inside_by_label,entered,exited,…}};"
          + " zone_entered, zone_exited, zone_dwell events. Stateful: one per stream.";
      default -> "";
    };
  }

  @Override
  public Optional<List<ParamSpec>> params(String toolId) {
    return switch (toolId) {
      case "lines" -> Optional.of(AnalyticsParams.LINES);
      case "zones" -> Optional.of(AnalyticsParams.ZONES);
      default -> Optional.empty();
    };
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    switch (toolId) {
      case "lines" -> {
        ParamValues v = ParamValues.read(AnalyticsParams.LINES, params);
        AnalyticsParams.Common common = AnalyticsParams.Common.read(v);
        return new LinesTool(common, Shapes.lines(v.json("lines"), common.relative()));
      }
      case "zones" -> {
        ParamValues v = ParamValues.read(AnalyticsParams.ZONES, params);
        AnalyticsParams.Common common = AnalyticsParams.Common.read(v);
        return new ZonesTool(common, Shapes.zones(v.json("zones"), common.relative()), v.number("dwell_s"));
      }
      default -> throw new IllegalArgumentException("unknown tool '" + toolId + "' in plugin 'analytics'");
    }
  }

  @Override
  public boolean isStateful(String toolId) {
    return true; // the counts and each track's side are the stream's history
  }
}
