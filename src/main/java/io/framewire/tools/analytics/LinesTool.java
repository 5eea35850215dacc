package io.framewire.tools.analytics;

import java.util.List;

/**
 * {@code analytics/lines} on one stream: counts the predecessor's tracks crossing each line, by
 * direction and label, since the stream started, and raises {@code line_crossed} (docs/analytics.md).
 */
final class LinesTool extends CountingTool<LineCounter> {

  static final String NAME = "analytics/lines";

  LinesTool(AnalyticsParams.Common params, List<Shapes.LineDef> defs) {
    super(NAME, "lines", params, defs.stream().map(LineCounter::new).toList());
  }
}
