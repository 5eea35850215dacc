package io.framewire.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.PipelineProbe;
import io.framewire.testing.TestJpegs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in {@code motion_track} (src/main/resources/pipelines/motion_track.json) on real JPEG frames. */
class MotionTrackBuiltInTest {

  @Test
  void aMovingSquareIsOneTrackConfirmedOnItsSecondFrame() throws Exception {
    List<byte[]> frames = new ArrayList<>();
    for (int f = 0; f < 12; f++) {
      // An empty background, then a 60 px square moving 8 px per frame to the right.
      frames.add(f == 0 ? TestJpegs.solid(640, 480, TestJpegs.DARK) : TestJpegs.withSquare(640, 480, 40 + 8 * f, 200, 60));
    }
    List<JsonNode> results = PipelineProbe.run(builtIn("motion_track"), frames);

    // Frame 0 sets the background, frame 1 starts a tentative track, frame 2 confirms it (min_hits 2).
    for (int f = 0; f < 2; f++) {
      assertEquals(0, results.get(f).get("tracks").size(), "frame " + f);
      assertEquals(0, results.get(f).path("events").size(), "frame " + f);
    }
    JsonNode started = results.get(2).path("events");
    assertEquals(1, started.size(), started.toString());
    assertEquals("track_started", started.get(0).get("type").asText());
    assertEquals(1, started.get(0).get("track_id").asInt());
    for (int f = 2; f < frames.size(); f++) {
      JsonNode tracks = results.get(f).get("tracks");
      assertEquals(1, tracks.size(), "frame " + f + ": " + tracks);
      JsonNode track = tracks.get(0);
      assertEquals(1, track.get("track_id").asInt(), "frame " + f);
      assertEquals("motion", track.get("label").asText());
      // Both outputs are in the result: the motion region (the square and its fading trail), and the
      // track's box following it; the filter smooths the trail's jumps on the left by a few pixels.
      JsonNode region = results.get(f).get("motion").get("regions").get(0);
      assertEquals(region.get("y").asDouble(), track.get("y").asDouble(), 1.0, "frame " + f);
      assertEquals(region.get("h").asDouble(), track.get("h").asDouble(), 1.0, "frame " + f);
      assertEquals(region.get("x").asDouble(), track.get("x").asDouble(), 3.0, "frame " + f);
      assertEquals(right(region), right(track), 2.0, "frame " + f);
      if (f > 2) {
        assertEquals(0, results.get(f).path("events").size(), "frame " + f);
        // The square moves right 8 px a frame: so does the box's right edge, and the filter's velocity points right.
        assertEquals(8.0, right(track) - right(results.get(f - 1).get("tracks").get(0)), 1.0, "frame " + f);
        assertTrue(track.get("vx").asDouble() > 0, "frame " + f + ": " + track);
      }
    }
  }

  private static double right(JsonNode box) {
    return box.get("x").asDouble() + box.get("w").asDouble();
  }

  private static String builtIn(String id) throws IOException {
    try (InputStream in = MotionTrackBuiltInTest.class.getResourceAsStream("/pipelines/" + id + ".json")) {
      assertNotNull(in, "no built-in " + id);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
