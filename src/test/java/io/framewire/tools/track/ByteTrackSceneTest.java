package io.framewire.tools.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.IdBox;
import io.framewire.testing.PipelineProbe;
import io.framewire.testing.TrackingMetrics;
import io.framewire.testing.TrackingScene;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** track/bytetrack (default params) through the engine on generated scenes, scored with CLEAR-MOT and IDF1. */
class ByteTrackSceneTest {

  private static final String PIPELINE = """
      {"id":"tracks","name":"Tracks","nodes":[{"id":"track","plugin_id":"track","tool_id":"bytetrack"}],
       "edges":[],"entry_nodes":["track"],"output_nodes":["track"]}""";

  private static List<List<IdBox>> track(TrackingScene scene) throws Exception {
    return PipelineProbe.runDetections(PIPELINE, scene.detections()).stream().map(IdBox::tracks).toList();
  }

  private static Set<Integer> ids(List<List<IdBox>> tracks) {
    Set<Integer> ids = new TreeSet<>();
    tracks.forEach(frame -> frame.forEach(b -> ids.add(b.id())));
    return ids;
  }

  @Test
  void fiveObjectsThroughOcclusionsMissesAndFlickerKeepFiveIds() throws Exception {
    TrackingScene scene = TrackingScene.builder(640, 480, 200).seed(21).jitter(2)
        .occluder(400, 280, 30, 200)
        // left to right along the top, often missed, label flickering
        .add(TrackingScene.object(1, "car").size(60, 40).at(0, 20, 40).at(199, 560, 40)
            .missProbability(0.1).flicker(0.2, "truck"))
        // right to left, hidden for 16 frames (within track_buffer 30), missed every 4th frame
        .add(TrackingScene.object(2, "person").size(30, 60).at(0, 600, 200).at(199, 10, 200)
            .hidden(80, 95).missEvery(4))
        // enters at the bottom edge and goes up, a fifth of its detections low-score
        .add(TrackingScene.object(3, "car").size(50, 50).at(20, 250, 480).at(199, 250, 100).lowScores(0.2, 0.3))
        // diagonal, crossing the paths of 1 and 2
        .add(TrackingScene.object(4, "bike").size(40, 40).at(0, 40, 0).at(199, 520, 420)
            .missProbability(0.05).flicker(0.1, "person"))
        // walks behind the occluder: hidden for 20 frames while its centre is behind it
        .add(TrackingScene.object(5, "person").size(30, 60).at(0, 300, 330).at(199, 600, 330).missProbability(0.05))
        .build();
    List<List<IdBox>> tracks = track(scene);
    TrackingMetrics.Result r = TrackingMetrics.evaluate(scene.truth(), tracks);
    int detections = scene.detections().stream().mapToInt(List::size).sum();
    assertEquals(Set.of(1, 2, 3, 4, 5), ids(tracks), r.toString());
    assertEquals(0, r.idSwitches(), r.toString());
    assertEquals(0, r.falsePositives(), r.toString());
    // Exactly the best a tracker that reports only detected objects can do: every detection is
    // matched to its object's own track, but for the first min_hits - 1 = 2 of each track.
    assertEquals(detections - 5 * 2, r.matches(), r.toString());
    assertEquals(r.matches(), r.idtp(), r.toString());
    // Measured: 854 detections of 930 visible boxes, MOTA 0.9075, IDF1 0.9515 (2 × 844 / (930 + 844)).
    assertEquals(2.0 * (detections - 10) / (r.truthBoxes() + detections - 10), r.idf1(), 1e-12);
    assertTrue(r.idf1() > 0.95, r.toString());
  }

  @Test
  void anObjectEnteringAtTheEdgeIsOneTrackFromItsThirdFrame() throws Exception {
    TrackingScene scene = TrackingScene.builder(320, 240, 30).seed(4).jitter(1)
        .add(TrackingScene.object(1, "car").size(40, 30).at(0, -40, 100).at(29, 250, 100)) // 10 px per frame
        .build();
    List<List<IdBox>> tracks = track(scene);
    TrackingMetrics.Result r = TrackingMetrics.evaluate(scene.truth(), tracks);
    assertEquals(Set.of(1), ids(tracks));
    assertEquals(29, r.truthBoxes(), "visible from frame 1 (10 px of it) on");
    assertEquals(2, r.misses(), "frames 1 and 2, before min_hits 3: " + r);
    assertEquals(0, r.falsePositives(), r.toString());
    assertEquals(List.of(), tracks.get(2));
    assertEquals(1, tracks.get(3).size(), "confirmed on its third visible frame");
  }

  @Test
  void anObjectHiddenLongerThanTheBufferComesBackAsANewTrack() throws Exception {
    TrackingScene scene = TrackingScene.builder(640, 480, 120)
        .add(TrackingScene.object(1, "car").size(40, 40).at(0, 20, 200).at(119, 580, 200).hidden(40, 71)) // 32 frames
        .add(TrackingScene.object(2, "car").size(40, 40).at(0, 20, 300).at(119, 580, 300).hidden(40, 69)) // 30 frames
        .build();
    List<List<IdBox>> tracks = track(scene);
    TrackingMetrics.Result r = TrackingMetrics.evaluate(scene.truth(), tracks);
    // Object 2 is back within track_buffer 30 and keeps its id; object 1 is not, and gets id 3.
    assertEquals(Set.of(1, 2, 3), ids(tracks));
    assertEquals(1, r.idSwitches(), r.toString());
    assertEquals(2 + 2 + 2, r.misses(), "min_hits for each new track: " + r);
  }
}
