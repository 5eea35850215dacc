package io.framewire.testing;

import io.framewire.api.Detection;
import io.framewire.api.image.JpegEncoder;
import io.framewire.api.image.RgbImage;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A synthetic scene for testing trackers: objects moving along given paths and, per frame, their
 * ground truth and what a detector would output, with a detector's failures (missed frames, box
 * jitter, flickering labels, low scores, false positives) and the scene's own difficulties (full
 * occlusions, objects entering and leaving at the frame's edge). It renders as JPEG frames or an
 * H.264 MP4 (coloured rectangles on a dark background) for pipelines that start from images.
 *
 * <pre>{@code
 * TrackingScene scene = TrackingScene.builder(640, 480, 100).seed(7).jitter(2)
 *     .add(TrackingScene.object(1, "car").size(60, 40).at(0, -60, 200).at(99, 640, 200).missEvery(5))
 *     .add(TrackingScene.object(2, "person").size(30, 60).at(0, 300, 400).at(99, 300, 0).hidden(40, 49))
 *     .build();
 * List<JsonNode> results = PipelineProbe.runDetections(trackPipeline, scene.detections());
 * }</pre>
 *
 * <p>Per frame, an object is present from its first waypoint's frame to its last; its box moves
 * linearly between waypoints. The ground truth holds the visible part of each present object: the
 * box clipped to the frame (so an object entering at an edge grows as it enters), none when it is
 * out of the frame or hidden (a {@link ObjectSpec#hidden} interval, or its centre behind an
 * {@link Builder#occluder}). A visible object is detected unless missed; the detection is its
 * visible box with each edge moved by up to ± {@link Builder#jitter} pixels. Everything random
 * comes from the seed, each object from a generator of its own: the same calls give the same frames.
 */
public final class TrackingScene {

  /** One frame: the visible objects (id = object id) and the synthetic detections, objects first, in the order added. */
  public record Frame(int index, List<IdBox> truth, List<Detection> detections) {

    /** The detections as {@code onnx/detect} outputs them under {@code detections} ({@link Detection#toMap}). */
    public List<Map<String, Object>> detectionMaps() {
      return detections.stream().map(Detection::toMap).toList();
    }
  }

  /** One object: its identity, size, path and what the detector gets wrong about it. */
  public static final class ObjectSpec {
    private final int id;
    private final String label;
    private double w = 40;
    private double h = 40;
    private final TreeMap<Integer, double[]> path = new TreeMap<>();
    private final List<int[]> hidden = new ArrayList<>();
    private double score = 0.9;
    private double lowScoreFraction;
    private double lowScore;
    private double flickerFraction;
    private String flickerLabel;
    private int missEvery;
    private double missProbability;
    private Color colour;

    private ObjectSpec(int id, String label) {
      if (id < 1) {
        throw new IllegalArgumentException("object ids start at 1, got " + id);
      }
      this.id = id;
      this.label = label;
    }

    /** Box size in pixels (default 40 × 40). */
    public ObjectSpec size(double width, double height) {
      if (!(width > 0 && height > 0)) {
        throw new IllegalArgumentException("size must be positive, got " + width + "x" + height);
      }
      this.w = width;
      this.h = height;
      return this;
    }

    /** A waypoint: the box's top-left corner on {@code frame} (it may lie outside the frame). */
    public ObjectSpec at(int frame, double x, double y) {
      path.put(frame, new double[] {x, y});
      return this;
    }

    /** The colour it is drawn in (default {@link TrackingScene#colour}({@code id})), e.g. what a colour detector sees. */
    public ObjectSpec colour(Color c) {
      this.colour = c;
      return this;
    }

    /** Fully occluded on frames {@code from..to} (inclusive): no ground truth, no detection, not drawn. */
    public ObjectSpec hidden(int from, int to) {
      hidden.add(new int[] {from, to});
      return this;
    }

    /** The detections' score (default 0.9). */
    public ObjectSpec score(double s) {
      this.score = s;
      return this;
    }

    /** A random {@code fraction} of its detections score {@code low} instead (a partly visible object). */
    public ObjectSpec lowScores(double fraction, double low) {
      this.lowScoreFraction = fraction;
      this.lowScore = low;
      return this;
    }

    /** A random {@code fraction} of its detections are labelled {@code otherLabel}. */
    public ObjectSpec flicker(double fraction, String otherLabel) {
      this.flickerFraction = fraction;
      this.flickerLabel = otherLabel;
      return this;
    }

    /** Not detected on every {@code k}-th frame of its life (its frames k-1, 2k-1, …); 0: never. */
    public ObjectSpec missEvery(int k) {
      this.missEvery = k;
      return this;
    }

    /** Not detected on a random {@code p} of its visible frames. */
    public ObjectSpec missProbability(double p) {
      this.missProbability = p;
      return this;
    }

    private boolean isHidden(int frame) {
      return hidden.stream().anyMatch(r -> frame >= r[0] && frame <= r[1]);
    }

    /** The unclipped box on {@code frame}, or null when the object is not in the scene then. */
    private double[] box(int frame) {
      if (path.isEmpty() || frame < path.firstKey() || frame > path.lastKey()) {
        return null;
      }
      Map.Entry<Integer, double[]> a = path.floorEntry(frame);
      Map.Entry<Integer, double[]> b = path.ceilingEntry(frame);
      double t = a.getKey().equals(b.getKey()) ? 0 : (double) (frame - a.getKey()) / (b.getKey() - a.getKey());
      return new double[] {
          a.getValue()[0] + t * (b.getValue()[0] - a.getValue()[0]),
          a.getValue()[1] + t * (b.getValue()[1] - a.getValue()[1]), w, h};
    }
  }

  /** A new object; add it to a scene with {@link Builder#add}. */
  public static ObjectSpec object(int id, String label) {
    return new ObjectSpec(id, label);
  }

  /** A scene of {@code frames} frames of {@code width} × {@code height} pixels. */
  public static Builder builder(int width, int height, int frames) {
    return new Builder(width, height, frames);
  }

  /** The scene's settings; {@link #build} generates it. */
  public static final class Builder {
    private final int width;
    private final int height;
    private final int frames;
    private final List<ObjectSpec> objects = new ArrayList<>();
    private final List<double[]> occluders = new ArrayList<>();
    private long seed = 1;
    private double jitter;
    private double falsePositiveRate;
    private double falsePositiveSize = 40;

    private Builder(int width, int height, int frames) {
      if (width < 2 || height < 2 || frames < 1) {
        throw new IllegalArgumentException("a scene needs at least 2×2 pixels and one frame");
      }
      this.width = width;
      this.height = height;
      this.frames = frames;
    }

    /** The seed of everything random (default 1). */
    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    /** Each detection edge moves by a uniform random amount in ± {@code pixels} (default 0). */
    public Builder jitter(double pixels) {
      this.jitter = pixels;
      return this;
    }

    /**
     * On a random {@code rate} of the frames, one false detection (label {@code clutter}, score
     * 0.9) of {@code size} × {@code size} pixels somewhere in the frame.
     */
    public Builder falsePositives(double rate, double size) {
      this.falsePositiveRate = rate;
      this.falsePositiveSize = size;
      return this;
    }

    /** A static occluder: an object is hidden while its box's centre is inside it; drawn over the objects. */
    public Builder occluder(double x, double y, double w, double h) {
      occluders.add(new double[] {x, y, w, h});
      return this;
    }

    public Builder add(ObjectSpec object) {
      if (objects.stream().anyMatch(o -> o.id == object.id)) {
        throw new IllegalArgumentException("object id " + object.id + " is used twice");
      }
      objects.add(object);
      return this;
    }

    public TrackingScene build() {
      return new TrackingScene(this);
    }
  }

  /** Label of {@link Builder#falsePositives}. */
  public static final String CLUTTER = "clutter";

  private static final Color BACKGROUND = new Color(30, 30, 30);
  private static final Color OCCLUDER = new Color(128, 128, 128);

  private final int width;
  private final int height;
  private final List<ObjectSpec> objects;
  private final List<double[]> occluders;
  private final List<String> labels = new ArrayList<>();
  private final List<Frame> frames = new ArrayList<>();

  private TrackingScene(Builder b) {
    this.width = b.width;
    this.height = b.height;
    this.objects = List.copyOf(b.objects);
    this.occluders = List.copyOf(b.occluders);
    for (ObjectSpec o : objects) {
      classId(o.label);
      if (o.flickerLabel != null) {
        classId(o.flickerLabel);
      }
    }
    Random[] randoms = new Random[objects.size()];
    for (int k = 0; k < objects.size(); k++) {
      randoms[k] = new Random(b.seed * 1_000_003L + objects.get(k).id);
    }
    Random clutter = new Random(b.seed * 1_000_003L);
    for (int f = 0; f < b.frames; f++) {
      List<IdBox> truth = new ArrayList<>();
      List<Detection> detections = new ArrayList<>();
      for (int k = 0; k < objects.size(); k++) {
        ObjectSpec o = objects.get(k);
        Random r = randoms[k];
        // Drawn on every frame whatever happens, so one setting does not shift another's draws.
        double missDraw = r.nextDouble();
        double flickerDraw = r.nextDouble();
        double lowDraw = r.nextDouble();
        double[] edges = {r.nextDouble(), r.nextDouble(), r.nextDouble(), r.nextDouble()};
        double[] box = visibleBox(o, f);
        if (box == null) {
          continue;
        }
        truth.add(new IdBox(o.id, o.label, box[0], box[1], box[2], box[3]));
        int life = f - o.path.firstKey();
        boolean missed = (o.missEvery > 0 && life % o.missEvery == o.missEvery - 1) || missDraw < o.missProbability;
        if (missed) {
          continue;
        }
        double x0 = box[0] + (2 * edges[0] - 1) * b.jitter;
        double y0 = box[1] + (2 * edges[1] - 1) * b.jitter;
        double x1 = box[0] + box[2] + (2 * edges[2] - 1) * b.jitter;
        double y1 = box[1] + box[3] + (2 * edges[3] - 1) * b.jitter;
        double[] jittered = clip(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
        if (jittered == null) {
          continue;
        }
        String label = flickerDraw < o.flickerFraction ? o.flickerLabel : o.label;
        double score = lowDraw < o.lowScoreFraction ? o.lowScore : o.score;
        detections.add(new Detection(jittered[0], jittered[1], jittered[2], jittered[3], score, classId(label), label));
      }
      double fpDraw = clutter.nextDouble();
      double fx = clutter.nextDouble();
      double fy = clutter.nextDouble();
      if (fpDraw < b.falsePositiveRate) {
        double s = b.falsePositiveSize;
        detections.add(new Detection(fx * Math.max(0, width - s), fy * Math.max(0, height - s), Math.min(s, width),
            Math.min(s, height), 0.9, classId(CLUTTER), CLUTTER));
      }
      frames.add(new Frame(f, List.copyOf(truth), List.copyOf(detections)));
    }
  }

  private int classId(String label) {
    int i = labels.indexOf(label);
    if (i < 0) {
      labels.add(label);
      i = labels.size() - 1;
    }
    return i;
  }

  /** The object's box clipped to the frame, or null when it is absent, outside the frame or hidden. */
  private double[] visibleBox(ObjectSpec o, int frame) {
    double[] box = o.box(frame);
    if (box == null || o.isHidden(frame)) {
      return null;
    }
    double cx = box[0] + box[2] / 2;
    double cy = box[1] + box[3] / 2;
    for (double[] occ : occluders) {
      if (cx >= occ[0] && cx < occ[0] + occ[2] && cy >= occ[1] && cy < occ[1] + occ[3]) {
        return null;
      }
    }
    return clip(box[0], box[1], box[2], box[3]);
  }

  private double[] clip(double x, double y, double w, double h) {
    double x0 = Math.max(0, x);
    double y0 = Math.max(0, y);
    double x1 = Math.min(width, x + w);
    double y1 = Math.min(height, y + h);
    return x1 - x0 < 1 || y1 - y0 < 1 ? null : new double[] {x0, y0, x1 - x0, y1 - y0};
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public List<Frame> frames() {
    return frames;
  }

  /** The class names, in class-id order (the objects' labels as added, then flicker labels, then {@link #CLUTTER}). */
  public List<String> labels() {
    return List.copyOf(labels);
  }

  /** Per frame, the visible objects' boxes. */
  public List<List<IdBox>> truth() {
    return frames.stream().map(Frame::truth).toList();
  }

  /** Per frame, the synthetic detections. */
  public List<List<Detection>> detections() {
    return frames.stream().map(Frame::detections).toList();
  }

  /**
   * Paints frame {@code index} into {@code rgb} ({@code width × height × 3}, interleaved RGB): the
   * visible objects as filled rectangles in their own colours ({@link ObjectSpec#colour}; in the
   * order added, later ones on top), then the occluders. Missed detections are drawn: the detector,
   * not the scene, failed.
   */
  public void paint(int index, byte[] rgb) {
    fill(rgb, 0, 0, width, height, BACKGROUND);
    for (ObjectSpec o : objects) {
      double[] box = visibleBox(o, index);
      if (box != null) {
        fill(rgb, box[0], box[1], box[2], box[3], o.colour != null ? o.colour : colour(o.id));
      }
    }
    for (double[] occ : occluders) {
      fill(rgb, occ[0], occ[1], occ[2], occ[3], OCCLUDER);
    }
  }

  /** Frame {@code index} as a JPEG ({@link JpegEncoder}, quality 0.9). */
  public byte[] jpeg(int index) {
    byte[] rgb = new byte[width * height * 3];
    paint(index, rgb);
    return JpegEncoder.encode(new RgbImage(width, height, rgb));
  }

  /** Every frame as a JPEG. */
  public List<byte[]> jpegs() {
    List<byte[]> all = new ArrayList<>(frames.size());
    for (int f = 0; f < frames.size(); f++) {
      all.add(jpeg(f));
    }
    return all;
  }

  /** The scene as an H.264 MP4 at {@link TestVideos#FPS} (width and height must be even for its 4:2:0 pixels). */
  public Path writeMp4(Path file) {
    return TestVideos.h264(file, frames.size(), width, height, (i, rgb, w, h) -> paint(i, rgb));
  }

  /** An object's colour: hues spread by the golden angle, bright enough to stand out from the background. */
  public static Color colour(int id) {
    return Color.getHSBColor((float) ((id * 0.618033988749895) % 1), 0.75f, 0.95f);
  }

  private void fill(byte[] rgb, double x, double y, double w, double h, Color c) {
    int x0 = (int) Math.max(0, Math.round(x));
    int y0 = (int) Math.max(0, Math.round(y));
    int x1 = (int) Math.min(width, Math.round(x + w));
    int y1 = (int) Math.min(height, Math.round(y + h));
    if (x1 <= x0) {
      return;
    }
    byte[] pixel = {(byte) c.getRed(), (byte) c.getGreen(), (byte) c.getBlue()};
    byte[] row = new byte[(x1 - x0) * 3];
    for (int p = 0; p < row.length; p += 3) {
      System.arraycopy(pixel, 0, row, p, 3);
    }
    for (int yy = y0; yy < y1; yy++) {
      System.arraycopy(row, 0, rgb, 3 * (yy * width + x0), row.length);
    }
  }

  @Override
  public String toString() {
    return "TrackingScene[" + width + "x" + height + ", " + frames.size() + " frames, " + objects.size() + " objects]";
  }
}
