package io.framewire.bench;

import io.framewire.testing.TrackingScene;
import java.util.Random;

/** The generated scenes of the tracking benchmarks. */
public final class TrackingBenchScenes {

  private static final String[] LABELS = {"person", "car", "bike", "dog"};

  private TrackingBenchScenes() {}

  /**
   * {@code objects} objects crossing a 1280×720 frame over {@code frames} frames: each enters at a
   * random edge at a random time in the first half, walks through two random points to another edge
   * at 1–4 px per frame, and is fully hidden once for 5–20 frames. The detector misses 10 % of the
   * visible boxes at random, gives another label to 10 % and a low score (0.3) to 10 %, moves each
   * box edge by up to ±2 px, and reports a one-frame false positive on 5 % of the frames.
   */
  public static TrackingScene crowd(int objects, int frames, long seed) {
    int width = 1280;
    int height = 720;
    Random random = new Random(seed);
    TrackingScene.Builder scene = TrackingScene.builder(width, height, frames).seed(seed).jitter(2)
        .falsePositives(0.05, 50);
    for (int id = 1; id <= objects; id++) {
      double w = 30 + random.nextInt(60);
      double h = 30 + random.nextInt(60);
      String label = LABELS[random.nextInt(LABELS.length)];
      TrackingScene.ObjectSpec o = TrackingScene.object(id, label).size(w, h)
          .missProbability(0.10).flicker(0.10, LABELS[(indexOf(label) + 1) % LABELS.length]).lowScores(0.10, 0.3);
      double[][] points = {
          edgePoint(random, width, height, w, h),
          {random.nextDouble() * (width - w), random.nextDouble() * (height - h)},
          {random.nextDouble() * (width - w), random.nextDouble() * (height - h)},
          edgePoint(random, width, height, w, h)};
      int frame = random.nextInt(frames / 2);
      double speed = 1 + 3 * random.nextDouble();
      int start = frame;
      o.at(frame, points[0][0], points[0][1]);
      for (int k = 1; k < points.length; k++) {
        double distance = Math.hypot(points[k][0] - points[k - 1][0], points[k][1] - points[k - 1][1]);
        frame += Math.max(1, (int) Math.round(distance / speed));
        o.at(frame, points[k][0], points[k][1]);
      }
      int life = Math.min(frame, frames - 1) - start;
      int hiddenFor = 5 + random.nextInt(16);
      int hiddenFrom = start + 10 + random.nextInt(Math.max(1, life - 30 - hiddenFor));
      o.hidden(hiddenFrom, hiddenFrom + hiddenFor - 1);
      scene.add(o);
    }
    return scene.build();
  }

  /**
   * {@code objects} objects always in a 1920×1080 frame, each bouncing between two random points
   * and back every {@code period} frames (so frame {@code period} is frame 0 again), detected on
   * every frame with ±2 px jitter: exactly {@code objects} detections per frame, for cost
   * benchmarks.
   */
  public static TrackingScene steady(int objects, int period, long seed) {
    Random random = new Random(seed);
    TrackingScene.Builder scene = TrackingScene.builder(1920, 1080, period).seed(seed).jitter(2);
    for (int id = 1; id <= objects; id++) {
      double size = 20 + random.nextInt(40);
      double x0 = random.nextDouble() * (1920 - size);
      double y0 = random.nextDouble() * (1080 - size);
      double x1 = Math.max(0, Math.min(1920 - size, x0 + (random.nextDouble() - 0.5) * 2 * period));
      double y1 = Math.max(0, Math.min(1080 - size, y0 + (random.nextDouble() - 0.5) * 2 * period));
      scene.add(TrackingScene.object(id, LABELS[id % LABELS.length]).size(size, size)
          .at(0, x0, y0).at(period / 2, x1, y1).at(period, x0, y0));
    }
    return scene.build();
  }

  private static int indexOf(String label) {
    return java.util.Arrays.asList(LABELS).indexOf(label);
  }

  /** A top-left corner just outside a random edge, so the object enters (or leaves) there. */
  private static double[] edgePoint(Random random, int width, int height, double w, double h) {
    return switch (random.nextInt(4)) {
      case 0 -> new double[] {-w, random.nextDouble() * (height - h)};
      case 1 -> new double[] {width, random.nextDouble() * (height - h)};
      case 2 -> new double[] {random.nextDouble() * (width - w), -h};
      default -> new double[] {random.nextDouble() * (width - w), height};
    };
  }
}
