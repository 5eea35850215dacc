package io.framewire.tools.analytics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * When each track was last reported, in this tool's frames, so that the state of a track the tracker
 * stopped reporting is dropped after {@code lost_frames} frames (ids are never reused, so without
 * this the state of every track ever seen would stay).
 */
final class TrackMemory {

  private final int lostFrames;
  private final Map<Long, Long> lastSeen = new HashMap<>();
  private long frame;

  TrackMemory(int lostFrames) {
    this.lostFrames = lostFrames;
  }

  /** Records one frame's tracks; returns the ids not reported for more than lost_frames frames, now forgotten. */
  List<Long> seen(List<TrackBox> tracks) {
    frame++;
    tracks.forEach(t -> lastSeen.put(t.trackId(), frame));
    List<Long> gone = new ArrayList<>();
    for (Iterator<Map.Entry<Long, Long>> it = lastSeen.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Long, Long> e = it.next();
      if (frame - e.getValue() > lostFrames) {
        gone.add(e.getKey());
        it.remove();
      }
    }
    return gone;
  }

  void continueFrom(TrackMemory previous) {
    frame = previous.frame;
    lastSeen.putAll(previous.lastSeen);
  }
}
