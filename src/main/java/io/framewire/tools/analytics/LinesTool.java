package io.framewire.tools.analytics;

import io.framewire.api.Tool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code analytics/lines} on one stream: counts the predecessor's tracks crossing each line, by
 * direction and label, since the stream started, and raises {@code line_crossed} (docs/analytics.md).
 */
final class LinesTool implements Tool {

  static final String NAME = "analytics/lines";

  private final AnalyticsParams.Common params;
  private final List<LineCounter> lines = new ArrayList<>();
  private final TrackMemory memory;
  private FrameSize scaledTo;

  LinesTool(AnalyticsParams.Common params, List<Shapes.LineDef> defs) {
    this.params = params;
    defs.forEach(def -> lines.add(new LineCounter(def)));
    this.memory = new TrackMemory(params.lostFrames());
  }

  @Override
  public Map<String, Object> apply(Map<String, Object> input) {
    List<TrackBox> tracks = TrackBox.read(input, NAME);
    Events.Stamp stamp = Events.Stamp.of(input);
    if (params.relative()) {
      FrameSize size = FrameSize.of(input, NAME);
      if (!size.equals(scaledTo)) {
        lines.forEach(line -> line.scaleTo(size));
        scaledTo = size;
      }
    }
    List<Map<String, Object>> events = new ArrayList<>();
    for (LineCounter line : lines) {
      for (TrackBox track : tracks) {
        line.observe(track, params.anchor().of(track), params, stamp, events);
      }
    }
    for (long gone : memory.seen(tracks)) {
      lines.forEach(line -> line.forget(gone));
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    lines.forEach(line -> counts.put(line.def.name(), line.counts()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("lines", counts);
    out.put("events", events);
    return out;
  }

  /**
   * Keeps the totals of every line whose name is in this version too, and its tracks' sides when the
   * line, the units and the anchor are unchanged; a new line starts at zero, a removed one is dropped.
   */
  @Override
  public void continueFrom(Tool previous) {
    if (!(previous instanceof LinesTool old)) {
      return;
    }
    memory.continueFrom(old.memory);
    Map<String, LineCounter> byName = new HashMap<>();
    old.lines.forEach(line -> byName.put(line.def.name(), line));
    boolean sameFrame = old.params.relative() == params.relative() && old.params.anchor() == params.anchor();
    for (LineCounter line : lines) {
      LineCounter before = byName.get(line.def.name());
      if (before != null) {
        line.continueFrom(before, sameFrame && before.def.equals(line.def));
      }
    }
  }
}
