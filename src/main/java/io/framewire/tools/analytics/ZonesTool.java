package io.framewire.tools.analytics;

import io.framewire.api.Tool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code analytics/zones} on one stream: who is inside each zone, how many entered and exited since
 * the stream started, and {@code zone_entered}, {@code zone_exited}, {@code zone_dwell} events
 * (docs/analytics.md).
 */
final class ZonesTool implements Tool {

  static final String NAME = "analytics/zones";

  private final AnalyticsParams.Common params;
  private final List<ZoneCounter> zones = new ArrayList<>();
  private final TrackMemory memory;
  private FrameSize scaledTo;

  /** @param dwellS the tool's dwell_s, for zones without their own (null: none) */
  ZonesTool(AnalyticsParams.Common params, List<Shapes.ZoneDef> defs, Double dwellS) {
    this.params = params;
    defs.forEach(def -> zones.add(new ZoneCounter(def, def.dwellS() != null ? def.dwellS() : dwellS)));
    this.memory = new TrackMemory(params.lostFrames());
  }

  @Override
  public Map<String, Object> apply(Map<String, Object> input) {
    List<TrackBox> tracks = TrackBox.read(input, NAME);
    Events.Stamp stamp = Events.Stamp.of(input);
    if (params.relative()) {
      FrameSize size = FrameSize.of(input, NAME);
      if (!size.equals(scaledTo)) {
        zones.forEach(zone -> zone.scaleTo(size));
        scaledTo = size;
      }
    }
    List<Map<String, Object>> events = new ArrayList<>();
    for (ZoneCounter zone : zones) {
      for (TrackBox track : tracks) {
        zone.observe(track, params.anchor().of(track), params, stamp, events);
      }
    }
    for (long gone : memory.seen(tracks)) {
      zones.forEach(zone -> zone.forget(gone));
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    zones.forEach(zone -> counts.put(zone.def.name(), zone.counts()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("zones", counts);
    out.put("events", events);
    return out;
  }

  /**
   * Keeps the totals of every zone whose name is in this version too, and who is inside it when the
   * zone's points, the units and the anchor are unchanged; a new zone starts at zero, a removed one is
   * dropped.
   */
  @Override
  public void continueFrom(Tool previous) {
    if (!(previous instanceof ZonesTool old)) {
      return;
    }
    memory.continueFrom(old.memory);
    Map<String, ZoneCounter> byName = new HashMap<>();
    old.zones.forEach(zone -> byName.put(zone.def.name(), zone));
    boolean sameFrame = old.params.relative() == params.relative() && old.params.anchor() == params.anchor();
    for (ZoneCounter zone : zones) {
      ZoneCounter before = byName.get(zone.def.name());
      if (before != null) {
        zone.continueFrom(before, sameFrame && before.def.points().equals(zone.def.points()));
      }
    }
  }
}
