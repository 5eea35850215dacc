package io.framewire.tools.analytics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One zone of {@code analytics/zones}: its totals and whether each track is inside. */
final class ZoneCounter implements Counter<ZoneCounter> {

  /** One track's relation to this zone: side +1 is inside, -1 outside. */
  private static final class Presence {
    final Hysteresis side = new Hysteresis();
    String label = "";
    long visitStart;
    boolean dwellRaised;
  }

  final Shapes.ZoneDef def;
  private final Long dwellMillis;
  private List<Point> polygon;
  private Map<String, Object> geometry;
  private long entered;
  private long exited;
  private final Map<String, Long> enteredByLabel = new TreeMap<>();
  private final Map<String, Long> exitedByLabel = new TreeMap<>();
  private final Map<Long, Presence> tracks = new HashMap<>();

  /** @param dwellS the zone's own dwell_s, else the tool's; null: no dwell events */
  ZoneCounter(Shapes.ZoneDef def, Double dwellS) {
    this.def = def;
    this.polygon = def.points();
    this.geometry = Events.zoneGeometry(polygon);
    this.dwellMillis = dwellS == null ? null : Math.round(dwellS * 1000);
  }

  /** Places a zone given in relative units on a frame of this size. */
  @Override
  public void scaleTo(FrameSize size) {
    polygon = def.points().stream().map(p -> p.scaled(size.width(), size.height())).toList();
    geometry = Events.zoneGeometry(polygon);
  }

  /** Feeds one track's anchor on this frame; adds the events it raises. */
  @Override
  public void observe(TrackBox track, Point anchor, AnalyticsParams.Common params, Events.Stamp stamp,
      List<Map<String, Object>> events) {
    double distance = Geometry.distanceToEdge(polygon, anchor);
    int observed = distance > 0 && distance >= params.minDistance() ? (Geometry.contains(polygon, anchor) ? 1 : -1) : 0;
    Presence p = tracks.computeIfAbsent(track.trackId(), id -> new Presence());
    p.label = track.label();
    Hysteresis.Change change = p.side.observe(observed, stamp.millis(), params.minFrames());
    boolean inside = p.side.side() > 0;
    if (change != Hysteresis.Change.NONE && inside) {
      p.visitStart = p.side.since(); // the first frame it was seen inside
      p.dwellRaised = false;
    }
    if (change == Hysteresis.Change.CHANGED) {
      if (inside) {
        entered++;
        enteredByLabel.merge(track.label(), 1L, Long::sum);
      } else {
        exited++;
        exitedByLabel.merge(track.label(), 1L, Long::sum);
      }
      events.add(Events.of(inside ? "zone_entered" : "zone_exited", "zone", def.name(), null, track, stamp,
          geometry));
    }
    if (inside && dwellMillis != null && !p.dwellRaised && stamp.millis() - p.visitStart > dwellMillis) {
      p.dwellRaised = true;
      events.add(Events.of("zone_dwell", "zone", def.name(), null, track, stamp, geometry));
    }
  }

  @Override
  public String name() {
    return def.name();
  }

  /** Whether the zone's points is where it was: then its tracks' states still hold. */
  @Override
  public boolean samePlaceAs(ZoneCounter previous) {
    return def.points().equals(previous.def.points());
  }

  @Override
  public void forget(long trackId) {
    tracks.remove(trackId);
  }

  /** Takes over a previous version's totals, and who is inside when the zone is where it was. */
  @Override
  public void continueFrom(ZoneCounter previous, boolean samePlace) {
    entered = previous.entered;
    exited = previous.exited;
    enteredByLabel.putAll(previous.enteredByLabel);
    exitedByLabel.putAll(previous.exitedByLabel);
    if (samePlace) {
      tracks.putAll(previous.tracks);
    }
  }

  /** {@code {inside, inside_by_label, entered, exited, entered_by_label, exited_by_label}}. */
  @Override
  public Map<String, Object> counts() {
    long inside = 0;
    Map<String, Long> insideByLabel = new TreeMap<>();
    for (Presence p : tracks.values()) {
      if (p.side.side() > 0) {
        inside++;
        insideByLabel.merge(p.label, 1L, Long::sum);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("inside", inside);
    m.put("inside_by_label", insideByLabel);
    m.put("entered", entered);
    m.put("exited", exited);
    m.put("entered_by_label", new TreeMap<>(enteredByLabel));
    m.put("exited_by_label", new TreeMap<>(exitedByLabel));
    return m;
  }
}
