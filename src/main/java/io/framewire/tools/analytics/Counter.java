package io.framewire.tools.analytics;

import java.util.List;
import java.util.Map;

/** One line or zone of a {@link CountingTool}: its totals and each track's state relative to it. */
interface Counter<C extends Counter<C>> {

  /** Its name: its identity across pipeline versions. */
  String name();

  /** Places a shape given in relative units on a frame of this size. */
  void scaleTo(FrameSize size);

  /** Feeds one track's anchor on this frame; adds an event when something happened. */
  void observe(TrackBox track, Point anchor, AnalyticsParams.Common params, Events.Stamp stamp,
      List<Map<String, Object>> events);

  /** Drops a track that is no longer reported. */
  void forget(long trackId);

  /** Whether {@code previous} (same name) has the same shape, so its tracks' states still hold. */
  boolean samePlaceAs(C previous);

  /** Takes over a previous version's totals, and each track's state when {@code samePlace}. */
  void continueFrom(C previous, boolean samePlace);

  /** This counter's output. */
  Map<String, Object> counts();
}
