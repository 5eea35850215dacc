package io.framewire.tools.analytics;

import java.util.List;

/**
 * {@code analytics/zones} on one stream: who is inside each zone, how many entered and exited since
 * the stream started, and {@code zone_entered}, {@code zone_exited}, {@code zone_dwell} events
 * (docs/analytics.md).
 */
final class ZonesTool extends CountingTool<ZoneCounter> {

  static final String NAME = "analytics/zones";

  /** @param dwellS the tool's dwell_s, for zones without their own (null: none) */
  ZonesTool(AnalyticsParams.Common params, List<Shapes.ZoneDef> defs, Double dwellS) {
    super(NAME, "zones", params,
        defs.stream().map(def -> new ZoneCounter(def, def.dwellS() != null ? def.dwellS() : dwellS)).toList());
  }
}
