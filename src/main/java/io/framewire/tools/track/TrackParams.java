package io.framewire.tools.track;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.ParamSpec;
import io.framewire.api.ParamValues;
import java.util.List;

/** The declared params of {@code track/bytetrack}, read into a {@link ByteTracker.Config}. */
final class TrackParams {

  static final List<ParamSpec> SPECS = List.of(
      ParamSpec.number("track_thresh", "detections scoring at least this are high: they match first and may start tracks")
          .rangeAbove(0, 1).withDefault(0.5),
      ParamSpec.number("low_thresh", "detections scoring less than this are ignored; those in [low_thresh, track_thresh) only keep tracks alive")
          .range(0, 1).withDefault(0.1),
      ParamSpec.number("match_iou", "IoU a high detection needs to match a track (ByteTrack's match_thresh 0.8 is 1 - 0.2)")
          .rangeAbove(0, 1).withDefault(0.2),
      ParamSpec.integer("min_hits", "consecutive frames a new track must be matched before it is confirmed (reported, given an id)")
          .range(1, 1000).withDefault(3),
      ParamSpec.integer("track_buffer", "frames a lost track is kept for re-association")
          .range(0, 100_000).withDefault(30),
      ParamSpec.bool("class_aware", "match detections only to tracks of the same label (default: class-agnostic)")
          .withDefault(false),
      ParamSpec.number("new_track_thresh", "score an unmatched high detection needs to start a track (default: track_thresh + 0.1, at most 1)")
          .range(0, 1));

  private TrackParams() {}

  static ByteTracker.Config from(JsonNode params) {
    ParamValues v = ParamValues.read(SPECS, params);
    double trackThresh = v.number("track_thresh");
    Double newTrack = v.number("new_track_thresh");
    return new ByteTracker.Config(
        trackThresh,
        v.number("low_thresh"),
        v.number("match_iou"),
        Math.toIntExact(v.integer("min_hits")),
        Math.toIntExact(v.integer("track_buffer")),
        v.bool("class_aware"),
        newTrack != null ? newTrack : Math.min(1, trackThresh + 0.1));
  }
}
