package io.framewire.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.Detection;
import io.framewire.api.FrameTime;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tracking scene generator: paths, the detector's failures, occlusion, rendering; and the detections-only probe. */
class TrackingSceneTest {

  private static TrackingScene.ObjectSpec mover(int id) {
    return TrackingScene.object(id, "car").size(40, 20).at(0, 100, 100).at(100, 500, 300);
  }

  @Test
  void objectsMoveLinearlyBetweenWaypointsAndExistOnlyAlongTheirPath() {
    TrackingScene scene = TrackingScene.builder(640, 480, 60)
        .add(TrackingScene.object(1, "car").size(40, 20).at(10, 100, 100).at(20, 200, 150).at(40, 200, 50)).build();
    for (TrackingScene.Frame f : scene.frames()) {
      int i = f.index();
      if (i < 10 || i > 40) {
        assertEquals(List.of(), f.truth(), "frame " + i);
        assertEquals(List.of(), f.detections(), "frame " + i);
        continue;
      }
      double x = i <= 20 ? 100 + 10 * (i - 10) : 200;
      double y = i <= 20 ? 100 + 5 * (i - 10) : 150 - 5 * (i - 20);
      assertEquals(List.of(new IdBox(1, "car", x, y, 40, 20)), f.truth(), "frame " + i);
      assertEquals(List.of(new Detection(x, y, 40, 20, 0.9, 0, "car")), f.detections(), "no noise asked for");
    }
  }

  @Test
  void anObjectEnteringAtTheEdgeGrowsAsItEnters() {
    TrackingScene scene = TrackingScene.builder(320, 240, 15)
        .add(TrackingScene.object(1, "car").size(40, 30).at(0, -40, 100).at(10, 0, 100).at(14, 16, 100)).build();
    assertEquals(List.of(), scene.frames().get(0).truth(), "frame 0: wholly outside");
    for (int f = 1; f <= 10; f++) {
      assertEquals(List.of(new IdBox(1, "car", 0, 100, 4 * f, 30)), scene.frames().get(f).truth(), "frame " + f);
      assertEquals(4.0 * f, scene.frames().get(f).detections().get(0).w(), "frame " + f);
    }
    assertEquals(new IdBox(1, "car", 16, 100, 40, 30), scene.frames().get(14).truth().get(0));
  }

  @Test
  void sameSeedSameScene() {
    TrackingScene.Builder a = TrackingScene.builder(640, 480, 80).seed(5).jitter(3).falsePositives(0.2, 30)
        .add(mover(1).missProbability(0.2).flicker(0.2, "truck").lowScores(0.2, 0.3));
    TrackingScene.Builder b = TrackingScene.builder(640, 480, 80).seed(5).jitter(3).falsePositives(0.2, 30)
        .add(mover(1).missProbability(0.2).flicker(0.2, "truck").lowScores(0.2, 0.3));
    TrackingScene.Builder c = TrackingScene.builder(640, 480, 80).seed(6).jitter(3).falsePositives(0.2, 30)
        .add(mover(1).missProbability(0.2).flicker(0.2, "truck").lowScores(0.2, 0.3));
    assertEquals(a.build().frames(), b.build().frames());
    assertNotEquals(a.build().detections(), c.build().detections());
    assertEquals(a.build().truth(), c.build().truth(), "the seed changes the detector's noise, not the scene");
  }

  @Test
  void missesEveryKthFrameOrAtRandom() {
    TrackingScene every = TrackingScene.builder(640, 480, 30).add(mover(1).missEvery(3)).build();
    for (TrackingScene.Frame f : every.frames()) {
      assertEquals(1, f.truth().size());
      assertEquals(f.index() % 3 == 2 ? 0 : 1, f.detections().size(), "frame " + f.index());
    }
    int frames = 2000;
    TrackingScene random = TrackingScene.builder(640, 480, frames).seed(3)
        .add(TrackingScene.object(1, "car").at(0, 10, 10).at(frames - 1, 500, 400).missProbability(0.1)).build();
    long missed = random.frames().stream().filter(f -> f.detections().isEmpty()).count();
    // Binomial(2000, 0.1): mean 200, sd 13.4; ±4 sd.
    assertTrue(missed > 146 && missed < 254, "missed " + missed);
  }

  @Test
  void labelsFlickerAndScoresDropOnTheGivenFractions() {
    int frames = 2000;
    TrackingScene scene = TrackingScene.builder(640, 480, frames).seed(11)
        .add(TrackingScene.object(1, "dog").at(0, 10, 10).at(frames - 1, 500, 400).flicker(0.2, "cat").lowScores(0.1, 0.3))
        .build();
    assertEquals(List.of("dog", "cat"), scene.labels());
    long cats = 0;
    long low = 0;
    for (TrackingScene.Frame f : scene.frames()) {
      Detection d = f.detections().get(0);
      assertEquals(d.label().equals("cat") ? 1 : 0, d.classId());
      cats += d.label().equals("cat") ? 1 : 0;
      low += d.score() == 0.3 ? 1 : 0;
      assertEquals("dog", f.truth().get(0).label(), "the truth does not flicker");
    }
    assertTrue(cats > 400 - 72 && cats < 400 + 72, "cats " + cats); // sd 17.9
    assertTrue(low > 200 - 54 && low < 200 + 54, "low " + low); // sd 13.4
  }

  @Test
  void jitterMovesEachEdgeByAtMostTheGivenPixels() {
    TrackingScene scene = TrackingScene.builder(640, 480, 100).seed(2).jitter(3).add(mover(1)).build();
    int moved = 0;
    for (TrackingScene.Frame f : scene.frames()) {
      IdBox t = f.truth().get(0);
      Detection d = f.detections().get(0);
      assertEquals(t.x(), d.x(), 3.0);
      assertEquals(t.y(), d.y(), 3.0);
      assertEquals(t.x() + t.w(), d.x() + d.w(), 3.0);
      assertEquals(t.y() + t.h(), d.y() + d.h(), 3.0);
      moved += d.x() != t.x() ? 1 : 0;
    }
    assertEquals(100, moved);
  }

  @Test
  void hiddenObjectsHaveNoTruthNoDetectionAndAreNotDrawn() {
    TrackingScene scene = TrackingScene.builder(320, 240, 40)
        .occluder(150, 0, 38, 240)
        .add(TrackingScene.object(1, "car").size(30, 30).at(0, 0, 20).at(39, 273, 20)) // 7 px per frame
        .add(TrackingScene.object(2, "car").size(30, 30).at(0, 50, 150).at(39, 50, 150).hidden(10, 19))
        .build();
    for (TrackingScene.Frame f : scene.frames()) {
      int i = f.index();
      double centre = 7 * i + 15;
      boolean behind = centre >= 150 && centre < 188; // frames 20..24
      Set<Integer> expected = behind ? Set.of() : Set.of(1);
      if (i < 10 || i > 19) {
        expected = behind ? Set.of(2) : Set.of(1, 2);
      }
      Set<Integer> ids = Set.copyOf(f.truth().stream().map(IdBox::id).toList());
      assertEquals(expected, ids, "frame " + i);
      assertEquals(expected.size(), f.detections().size(), "frame " + i);
    }
    assertEquals(5, scene.frames().stream().filter(f -> f.truth().stream().noneMatch(b -> b.id() == 1)).count());
  }

  @Test
  void framesRenderAsColouredRectanglesWithTheOccludersOnTop() throws Exception {
    TrackingScene scene = TrackingScene.builder(320, 240, 20)
        .occluder(200, 0, 40, 240)
        .add(TrackingScene.object(1, "car").size(60, 40).at(0, 20, 20).at(19, 20, 20))
        .add(TrackingScene.object(2, "car").size(60, 40).at(0, 150, 150).at(19, 150, 150).missEvery(1))
        .add(TrackingScene.object(3, "car").size(60, 40).at(0, 20, 150).at(19, 20, 150).hidden(0, 19))
        .build();
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(scene.jpeg(5)));
    assertColour(TrackingScene.colour(1), image.getRGB(50, 40));
    assertColour(TrackingScene.colour(2), image.getRGB(180, 170)); // never detected, but there
    assertColour(new Color(128, 128, 128), image.getRGB(205, 170)); // object 2's right part is behind the occluder
    assertColour(new Color(30, 30, 30), image.getRGB(50, 170)); // object 3 is hidden
    assertColour(new Color(30, 30, 30), image.getRGB(300, 10));
    assertEquals(20, scene.jpegs().size());
  }

  @Test
  void theSceneWritesAnMp4OfAllItsFrames(@TempDir Path dir) throws Exception {
    TrackingScene scene = TrackingScene.builder(160, 120, 12)
        .add(TrackingScene.object(1, "car").size(40, 40).at(0, 0, 40).at(11, 110, 40)).build();
    Path mp4 = scene.writeMp4(dir.resolve("scene.mp4"));
    int frames = 0;
    try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(mp4.toFile())) {
      grabber.start();
      assertEquals(160, grabber.getImageWidth());
      for (Frame f = grabber.grabImage(); f != null; f = grabber.grabImage()) {
        frames++;
      }
    }
    assertEquals(12, frames);
  }

  @Test
  void detectionsRunThroughAPipelineWithoutImages() throws Exception {
    // A tool that reports what the entry node's input held.
    ToolPlugin inspect = new ToolPlugin() {
      @Override
      public String id() {
        return "inspect_payload";
      }

      @Override
      public Set<String> toolIds() {
        return Set.of("payload");
      }

      @Override
      public Tool create(String toolId, JsonNode params) {
        return input -> Map.of("seen", Map.of(
            "frame_index", input.get("frame_index"),
            "time", FrameTime.millis(input),
            "labels", ((List<?>) input.get("detections")).stream().map(d -> ((Map<?, ?>) d).get("label")).toList(),
            "image", input.containsKey("image_bytes")));
      }
    };
    String pipeline = """
        {"id":"p","name":"P","nodes":[{"id":"n","plugin_id":"inspect_payload","tool_id":"payload"}],
         "edges":[],"entry_nodes":["n"],"output_nodes":["n"]}""";
    List<Detection> two = List.of(new Detection(1, 2, 3, 4, 0.5, 0, "a"), new Detection(5, 6, 7, 8, 0.6, 1, "b"));
    List<JsonNode> results = PipelineProbe.runDetections(pipeline, List.of(two, List.of(), two.subList(1, 2)), inspect);
    assertEquals(3, results.size());
    for (int i = 0; i < 3; i++) {
      JsonNode seen = results.get(i).get("seen");
      assertEquals(i, seen.get("frame_index").asInt());
      assertEquals(PipelineProbe.START_MILLIS + 40L * i, seen.get("time").asLong(), "25 fps");
      assertEquals(false, seen.get("image").asBoolean());
    }
    assertEquals("[\"a\",\"b\"]", results.get(0).at("/seen/labels").toString());
    assertEquals("[]", results.get(1).at("/seen/labels").toString());
    assertEquals("[\"b\"]", results.get(2).at("/seen/labels").toString());
  }

  private static void assertColour(Color expected, int rgb) {
    Color actual = new Color(rgb);
    String message = "expected " + expected + ", got " + actual;
    assertEquals(expected.getRed(), actual.getRed(), 12, message);
    assertEquals(expected.getGreen(), actual.getGreen(), 12, message);
    assertEquals(expected.getBlue(), actual.getBlue(), 12, message);
  }
}
