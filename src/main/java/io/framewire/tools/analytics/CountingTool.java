package io.framewire.tools.analytics;

import io.framewire.api.Tool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code analytics/lines} and {@code analytics/zones} share on one stream: reading the
 * predecessor's tracks, scaling relative shapes to the frame, feeding each track's anchor to every
 * counter, forgetting tracks gone for {@code lost_frames}, and the live-edit carry-over by name.
 */
abstract class CountingTool<C extends Counter<C>> implements Tool {

  private final String toolName;
  private final String outputKey;
  private final AnalyticsParams.Common params;
  private final List<C> counters;
  private final TrackMemory memory;
  private FrameSize scaledTo;

  /**
   * @param toolName {@code analytics/…}, for messages
   * @param outputKey the result key of the counts by name ({@code lines}, {@code zones})
   */
  CountingTool(String toolName, String outputKey, AnalyticsParams.Common params, List<C> counters) {
    this.toolName = toolName;
    this.outputKey = outputKey;
    this.params = params;
    this.counters = List.copyOf(counters);
    this.memory = new TrackMemory(params.lostFrames());
  }

  @Override
  public final Map<String, Object> apply(Map<String, Object> input) {
    List<TrackBox> tracks = TrackBox.read(input, toolName);
    Events.Stamp stamp = Events.Stamp.of(input);
    if (params.relative()) {
      FrameSize size = FrameSize.of(input, toolName);
      if (!size.equals(scaledTo)) {
        counters.forEach(counter -> counter.scaleTo(size));
        scaledTo = size;
      }
    }
    List<Map<String, Object>> events = new ArrayList<>();
    for (C counter : counters) {
      for (TrackBox track : tracks) {
        counter.observe(track, params.anchor().of(track), params, stamp, events);
      }
    }
    for (long gone : memory.seen(tracks)) {
      counters.forEach(counter -> counter.forget(gone));
    }
    Map<String, Object> counts = new LinkedHashMap<>();
    counters.forEach(counter -> counts.put(counter.name(), counter.counts()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(outputKey, counts);
    out.put("events", events);
    return out;
  }

  /**
   * Keeps the totals of every counter whose name is in this version too, and its tracks' states when
   * its shape, the units and the anchor are unchanged; a new one starts at zero, a removed one is
   * dropped.
   */
  @Override
  public final void continueFrom(Tool previous) {
    if (previous == null || previous.getClass() != getClass()) {
      return;
    }
    @SuppressWarnings("unchecked") // the same class: counters of the same kind
    CountingTool<C> old = (CountingTool<C>) previous;
    memory.continueFrom(old.memory);
    Map<String, C> byName = new HashMap<>();
    old.counters.forEach(counter -> byName.put(counter.name(), counter));
    boolean sameFrame = old.params.relative() == params.relative() && old.params.anchor() == params.anchor();
    for (C counter : counters) {
      C before = byName.get(counter.name());
      if (before != null) {
        counter.continueFrom(before, sameFrame && counter.samePlaceAs(before));
      }
    }
  }
}
