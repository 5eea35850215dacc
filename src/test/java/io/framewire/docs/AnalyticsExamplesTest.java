package io.framewire.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.api.FrameTime;
import io.framewire.inference.OnnxPlugin;
import io.framewire.inference.TestModels;
import io.framewire.testing.PipelineProbe;
import io.framewire.testing.TrackingScene;
import io.framewire.testing.TestVideos;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example pipelines at the end of docs/analytics.md, read from the doc itself, run on generated
 * scenes through the DAG engine (one session, JPEG frames), with exact counts and events: the door
 * counter with {@code blob_det.onnx} (make_models.py: red blobs are persons, green ones cars) as
 * {@code yolov8n.onnx}, and the motion zone without a model.
 */
class AnalyticsExamplesTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final Color RED = new Color(220, 30, 30);
  static final Color GREEN = new Color(30, 200, 30);

  @TempDir Path modelsDir;

  static String example(String id) throws Exception {
    List<String> found = new ArrayList<>();
    for (DocsPipelinesTest.Example e : DocsPipelinesTest.examples()) {
      if (e.file().equals("analytics.md") && id.equals(JSON.readTree(e.json()).path("id").asText())) {
        found.add(e.json());
      }
    }
    assertEquals(1, found.size(), "pipelines '" + id + "' in docs/analytics.md");
    return found.get(0);
  }

  /**
   * The events of the given types, of every frame in order, as {@code "type [line direction | zone]
   * #track_id label @frame_index time"}.
   */
  static List<String> events(List<JsonNode> results, String... types) {
    List<String> out = new ArrayList<>();
    List<String> wanted = List.of(types);
    for (JsonNode r : results) {
      for (JsonNode e : r.path("events")) {
        if (wanted.contains(e.path("type").asText())) {
          String detail = e.has("line") ? e.path("line").asText() + " " + e.path("direction").asText()
              : e.path("zone").asText();
          out.add(e.path("type").asText() + " " + (detail.isEmpty() ? "" : detail + " ") + "#"
              + e.path("track_id").asInt() + " " + e.path("label").asText() + " @" + e.path("frame_index").asLong()
              + " " + e.path("time").asText());
        }
      }
    }
    return out;
  }

  /** {@code node} as parsed from its text, so that numbers compare by value (the tools count in longs). */
  static JsonNode reread(JsonNode node) throws Exception {
    return JSON.readTree(node.toString());
  }

  /** The time of frame {@code index} at {@code fps}, as events give it. */
  static String time(int index, double fps) {
    return FrameTime.iso(PipelineProbe.START_MILLIS + Math.round(index * 1000.0 / fps));
  }

  /**
   * 320×240 at 25 fps, so the door is (96, 144)–(224, 144). Persons are red 24×48 blobs, the car a
   * green 64×40 one. Person 1 and the car walk down across the door side by side (other colours: the
   * detector keeps them apart), person 3 after person 1 has gone (two red blobs close together would
   * merge), then person 4 walks up. A track is confirmed on its third frame (min_hits 3), and a
   * crossing counts on the second frame with the box's bottom more than 4 px past y = 144: person 1's
   * bottom is 68 + 5f, past 148 on frames 17 and 18.
   */
  @Test
  void door_counter_counts_persons_and_cars_crossing_the_door() throws Exception {
    Files.copy(TestModels.dir().resolve("blob_det.onnx"), modelsDir.resolve("yolov8n.onnx"));
    TrackingScene scene = TrackingScene.builder(320, 240, 100)
        .add(TrackingScene.object(1, "person").size(24, 48).colour(RED).at(0, 100, 20).at(30, 100, 170))
        .add(TrackingScene.object(2, "car").size(64, 40).colour(GREEN).at(10, 150, 10).at(40, 150, 190))
        .add(TrackingScene.object(3, "person").size(24, 48).colour(RED).at(35, 170, 0).at(65, 170, 180))
        .add(TrackingScene.object(4, "person").size(24, 48).colour(RED).at(68, 120, 180).at(98, 120, 10))
        .build();
    List<JsonNode> results;
    try (TestModels models = new TestModels(TestModels.settings(modelsDir), null)) {
      results = PipelineProbe.run(example("door_counter"), scene.jpegs(), TestVideos.FPS,
          new OnnxPlugin(models.models));
    }
    double fps = TestVideos.FPS;
    assertEquals(List.of(
            "track_started #1 person @2 " + time(2, fps),
            "track_started #2 car @12 " + time(12, fps),
            "track_started #3 person @37 " + time(37, fps),
            "track_started #4 person @70 " + time(70, fps)),
        events(results, "track_started")); // one track per object: no duplicate boxes, no id switch
    assertEquals(List.of(
            "line_crossed door in #1 person @18 " + time(18, fps),
            "line_crossed door in #2 car @28 " + time(28, fps), // bottom 50 + 6(f - 10)
            "line_crossed door in #3 person @53 " + time(53, fps), // bottom 48 + 6(f - 35)
            "line_crossed door out #4 person @85 " + time(85, fps)), // bottom 228 - 5.67(f - 68) < 140
        events(results, "line_crossed"));
    assertEquals(JSON.readTree("{\"in\": 3, \"out\": 1, \"in_by_label\": {\"person\": 2, \"car\": 1},"
            + " \"out_by_label\": {\"person\": 1}}"),
        reread(results.get(results.size() - 1).path("lines").path("door")));
  }

  /**
   * 320×240 at one frame a second (a time-lapse camera: the 30 s dwell takes 31 frames), so the lot
   * is x 32–288, y 120–240. A car drives down into the lot, across it, and up out of it, one track
   * throughout. Its box's bottom is first more than 4 px inside on frame 12 (the visit starts), again
   * on 13 (entered, min_frames 2); 31 s after frame 12 is frame 43 (dwell: longer than 30 s); it is
   * more than 4 px above y = 120 on frames 49 and 50 (exited). The car is dim: a bright blob moving
   * this slowly leaves a trail in motion/detect's running background, which becomes tracks of its own.
   */
  @Test
  void motion_zone_sees_a_car_enter_dwell_and_leave_the_lot() throws Exception {
    double fps = 1;
    TrackingScene scene = TrackingScene.builder(320, 240, 66)
        .add(TrackingScene.object(1, "car").size(40, 24).colour(new Color(30, 110, 30))
            .at(2, 40, -24).at(12, 40, 110).at(46, 250, 110).at(63, 250, -26))
        .build();
    List<JsonNode> results = PipelineProbe.run(example("motion_zone"), scene.jpegs(), fps);
    assertEquals(List.of(
            "track_started #1 motion @4 " + time(4, fps),
            "zone_entered lot #1 motion @13 " + time(13, fps),
            "zone_dwell lot #1 motion @43 " + time(43, fps),
            "zone_exited lot #1 motion @50 " + time(50, fps)),
        events(results, "track_started", "track_ended", "zone_entered", "zone_dwell", "zone_exited"));
    assertEquals(JSON.readTree("{\"inside\": 0, \"inside_by_label\": {}, \"entered\": 1, \"exited\": 1,"
            + " \"entered_by_label\": {\"motion\": 1}, \"exited_by_label\": {\"motion\": 1}}"),
        reread(results.get(results.size() - 1).path("zones").path("lot")));
  }
}
