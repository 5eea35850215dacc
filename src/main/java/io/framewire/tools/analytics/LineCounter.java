package io.framewire.tools.analytics;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** One counting line of {@code analytics/lines}: its totals and each track's side of it. */
final class LineCounter implements Counter<LineCounter> {

  /** One track's relation to this line. */
  private static final class Crossing {
    final Hysteresis side = new Hysteresis();
    Point last;
    double lastDistance;
    /** Whether the anchor's path last met the line within the segment's extent. */
    boolean throughSegment;
  }

  final Shapes.LineDef def;
  private Point from;
  private Point to;
  private Map<String, Object> geometry;
  private long in;
  private long out;
  private final Map<String, Long> inByLabel = new TreeMap<>();
  private final Map<String, Long> outByLabel = new TreeMap<>();
  private final Map<Long, Crossing> tracks = new HashMap<>();

  LineCounter(Shapes.LineDef def) {
    this.def = def;
    this.from = def.from();
    this.to = def.to();
    this.geometry = Events.lineGeometry(from, to);
  }

  /** Places a line given in relative units on a frame of this size. */
  @Override
  public void scaleTo(FrameSize size) {
    from = def.from().scaled(size.width(), size.height());
    to = def.to().scaled(size.width(), size.height());
    geometry = Events.lineGeometry(from, to);
  }

  /** Feeds one track's anchor on this frame; adds a {@code line_crossed} event when it counts. */
  @Override
  public void observe(TrackBox track, Point anchor, AnalyticsParams.Common params, Events.Stamp stamp,
      List<Map<String, Object>> events) {
    double d = Geometry.signedDistance(from, to, anchor);
    Crossing c = tracks.computeIfAbsent(track.trackId(), id -> new Crossing());
    if (c.last != null) {
      double along = Geometry.crossingAlong(from, to, c.last, c.lastDistance, anchor, d);
      if (!Double.isNaN(along)) {
        c.throughSegment = along >= 0 && along <= 1;
      }
    }
    c.last = anchor;
    c.lastDistance = d;
    int observed = d != 0 && Math.abs(d) >= params.minDistance() ? (int) Math.signum(d) : 0;
    if (c.side.observe(observed, stamp.millis(), params.minFrames()) == Hysteresis.Change.CHANGED
        && c.throughSegment) {
      boolean inward = c.side.side() > 0;
      if (inward) {
        in++;
        inByLabel.merge(track.label(), 1L, Long::sum);
      } else {
        out++;
        outByLabel.merge(track.label(), 1L, Long::sum);
      }
      events.add(Events.of("line_crossed", "line", def.name(), inward ? "in" : "out", track, stamp, geometry));
    }
  }

  @Override
  public String name() {
    return def.name();
  }

  /** Whether the line is where it was: then its tracks' states still hold. */
  @Override
  public boolean samePlaceAs(LineCounter previous) {
    return def.equals(previous.def);
  }

  @Override
  public void forget(long trackId) {
    tracks.remove(trackId);
  }

  /** Takes over a previous version's totals, and each track's side when the line is where it was. */
  @Override
  public void continueFrom(LineCounter previous, boolean samePlace) {
    in = previous.in;
    out = previous.out;
    inByLabel.putAll(previous.inByLabel);
    outByLabel.putAll(previous.outByLabel);
    if (samePlace) {
      tracks.putAll(previous.tracks);
    }
  }

  /** {@code {in, out, in_by_label, out_by_label}}. */
  @Override
  public Map<String, Object> counts() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("in", in);
    m.put("out", out);
    m.put("in_by_label", new TreeMap<>(inByLabel));
    m.put("out_by_label", new TreeMap<>(outByLabel));
    return m;
  }
}
