package io.framewire.tools.analytics;

import io.framewire.api.ParamSpec;
import io.framewire.api.ParamValues;
import java.util.ArrayList;
import java.util.List;

/** The declared params of {@code analytics/lines} and {@code analytics/zones}. */
final class AnalyticsParams {

  static final String PIXELS = "pixels";
  static final String RELATIVE = "relative";

  /** The params both tools share, as read. */
  record Common(boolean relative, Anchor anchor, int minFrames, double minDistance, int lostFrames) {

    static Common read(ParamValues v) {
      return new Common(RELATIVE.equals(v.string("units")), Anchor.of(v.string("anchor")),
          Math.toIntExact(v.integer("min_frames")), v.number("min_distance"), Math.toIntExact(v.integer("lost_frames")));
    }
  }

  private static final List<ParamSpec> COMMON = List.of(
      ParamSpec.string("units", "coordinates in frame pixels, or relative: 0..1 of the frame's width and height")
          .allowed(List.of(PIXELS, RELATIVE)).withDefault(PIXELS),
      ParamSpec.string("anchor", "the point of a track's box that is tested (bottom_center: where it touches the ground)")
          .allowed(Anchor.NAMES).withDefault("bottom_center"),
      ParamSpec.integer("min_frames", "frames in a row the anchor must be on the new side before a change counts")
          .range(1, 1000).withDefault(2),
      ParamSpec.number("min_distance", "pixels from the line (or the zone's edge) the anchor must be for a frame to count on a side")
          .range(0, 10_000).withDefault(4.0),
      ParamSpec.integer("lost_frames", "frames a track may go unreported before it is forgotten (match the tracker's track_buffer)")
          .range(1, 100_000).withDefault(30));

  static final List<ParamSpec> LINES = with(
      ParamSpec.json("lines", "the counting lines: [{\"name\", \"from\": [x, y], \"to\": [x, y]}]; in: crossing from the left of from→to to its right")
          .asRequired());

  static final List<ParamSpec> ZONES = with(
      ParamSpec.json("zones", "the zones: [{\"name\", \"points\": [[x, y], …] (3 or more), \"dwell_s\" (optional, this zone's)}]")
          .asRequired(),
      ParamSpec.number("dwell_s", "seconds inside a zone after which zone_dwell is raised, once per visit (none: no dwell events)")
          .rangeAbove(0, null));

  private AnalyticsParams() {}

  private static List<ParamSpec> with(ParamSpec... first) {
    List<ParamSpec> specs = new ArrayList<>(List.of(first));
    specs.addAll(COMMON);
    return List.copyOf(specs);
  }
}
