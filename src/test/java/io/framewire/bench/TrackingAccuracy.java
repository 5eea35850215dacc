package io.framewire.bench;

import io.framewire.api.Detection;
import io.framewire.testing.IdBox;
import io.framewire.testing.PipelineProbe;
import io.framewire.testing.TrackingMetrics;
import io.framewire.testing.TrackingScene;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tracking accuracy benchmark ({@code scripts/bench/tracking_accuracy.sh}): {@code track/bytetrack}
 * with its default params, through the engine ({@link PipelineProbe#runDetections}), against the
 * {@link GreedyIouTracker} baseline, on {@link TrackingBenchScenes#crowd} scenes (20 objects, 600 frames)
 * of several seeds; prints MOTA, IDF1 and the counts per seed and their means.
 *
 * <p>Arguments: {@code [objects] [frames] [seeds...]}, default {@code 20 600 1 2 3 4 5}.
 */
public final class TrackingAccuracy {

  static final String PIPELINE = """
      {"id":"tracks","name":"Tracks","nodes":[{"id":"track","plugin_id":"track","tool_id":"bytetrack"}],
       "edges":[],"entry_nodes":["track"],"output_nodes":["track"]}""";

  private TrackingAccuracy() {}

  public static void main(String[] args) throws Exception {
    int objects = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int frames = args.length > 1 ? Integer.parseInt(args[1]) : 600;
    List<Long> seeds = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      seeds.add(Long.parseLong(args[i]));
    }
    if (seeds.isEmpty()) {
      seeds = List.of(1L, 2L, 3L, 4L, 5L);
    }
    System.out.printf(Locale.ROOT, "%d objects, %d frames, seeds %s%n", objects, frames, seeds);
    System.out.printf(Locale.ROOT, "%-6s %-10s %7s %7s %5s %6s %5s %6s %6s %4s%n",
        "seed", "tracker", "MOTA", "IDF1", "IDSW", "FN", "FP", "GT", "dets", "ids");
    double[] sums = new double[4];
    for (long seed : seeds) {
      TrackingScene scene = TrackingBenchScenes.crowd(objects, frames, seed);
      int detections = scene.detections().stream().mapToInt(List::size).sum();
      TrackingMetrics.Result byteTrack = TrackingMetrics.evaluate(scene.truth(), byteTrack(scene));
      TrackingMetrics.Result greedy = TrackingMetrics.evaluate(scene.truth(), greedy(scene));
      print(seed, "bytetrack", byteTrack, detections);
      print(seed, "greedy-iou", greedy, detections);
      sums[0] += byteTrack.mota();
      sums[1] += byteTrack.idf1();
      sums[2] += greedy.mota();
      sums[3] += greedy.idf1();
    }
    int n = seeds.size();
    System.out.printf(Locale.ROOT, "mean   bytetrack  MOTA %.4f IDF1 %.4f%n", sums[0] / n, sums[1] / n);
    System.out.printf(Locale.ROOT, "mean   greedy-iou MOTA %.4f IDF1 %.4f%n", sums[2] / n, sums[3] / n);
  }

  static List<List<IdBox>> byteTrack(TrackingScene scene) throws Exception {
    return PipelineProbe.runDetections(PIPELINE, scene.detections()).stream().map(IdBox::tracks).toList();
  }

  /** The baseline at IoU 0.3, keeping a track 5 frames after its last detection. */
  static List<List<IdBox>> greedy(TrackingScene scene) {
    GreedyIouTracker tracker = new GreedyIouTracker(0.3, 5);
    List<List<IdBox>> out = new ArrayList<>();
    for (List<Detection> frame : scene.detections()) {
      // The low-score boxes a detector would drop at its usual 0.5 threshold.
      out.add(tracker.update(frame.stream().filter(d -> d.score() >= 0.5).toList()));
    }
    return out;
  }

  private static void print(long seed, String tracker, TrackingMetrics.Result r, int detections) {
    System.out.printf(Locale.ROOT, "%-6d %-10s %7.4f %7.4f %5d %6d %5d %6d %6d %4d%n", seed, tracker, r.mota(),
        r.idf1(), r.idSwitches(), r.misses(), r.falsePositives(), r.truthBoxes(), detections, r.trackIds());
  }
}
