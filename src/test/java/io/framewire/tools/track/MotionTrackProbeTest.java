package io.framewire.tools.track;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.PipelineProbe;
import io.framewire.testing.TestJpegs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tracking without a model: motion/detect's regions into track/bytetrack, on real JPEG frames. */
class MotionTrackProbeTest {

  @Test
  void aMovingSquareIsOneMotionTrack() throws Exception {
    String pipeline = """
        {
          "id": "motion_tracks",
          "name": "Motion tracks",
          "nodes": [
            {"id": "decode", "plugin_id": "image", "tool_id": "info"},
            {"id": "motion", "plugin_id": "motion", "tool_id": "detect"},
            {"id": "track", "plugin_id": "track", "tool_id": "bytetrack", "params": {"min_hits": 2}}
          ],
          "edges": [
            {"from_node": "decode", "to_node": "motion"},
            {"from_node": "motion", "to_node": "track"}
          ],
          "entry_nodes": ["decode"],
          "output_nodes": ["motion", "track"]
        }
        """;
    List<byte[]> frames = new ArrayList<>();
    for (int f = 0; f < 10; f++) {
      // An empty background, then a square moving 4 px per frame to the right.
      frames.add(f == 0 ? TestJpegs.solid(640, 480, TestJpegs.DARK) : TestJpegs.withSquare(640, 480, 40 + 4 * f, 200, 60));
    }
    List<JsonNode> results = PipelineProbe.run(pipeline, frames);
    // Frame 0 sets the background (no motion), frame 1 starts a tentative track, frame 2 confirms it.
    for (int f = 0; f < 2; f++) {
      assertEquals(0, results.get(f).get("tracks").size(), "frame " + f);
    }
    for (int f = 2; f < 10; f++) {
      JsonNode tracks = results.get(f).get("tracks");
      assertEquals(1, tracks.size(), "frame " + f + ": " + tracks);
      assertEquals(1, tracks.get(0).get("track_id").asInt());
      assertEquals("motion", tracks.get(0).get("label").asText());
      assertEquals(f, tracks.get(0).get("hits").asInt());
      // The region (the square and its fading trail) grows to the right; the track's box follows it.
      JsonNode region = results.get(f).get("motion").get("regions").get(0);
      for (String side : new String[] {"x", "y", "w", "h"}) {
        assertEquals(region.get(side).asDouble(), tracks.get(0).get(side).asDouble(), 2.0, "frame " + f + " " + side);
      }
    }
  }
}
