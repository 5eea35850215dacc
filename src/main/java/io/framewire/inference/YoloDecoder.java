package io.framewire.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * YOLO detector postprocessing as Ultralytics does it: confidence filter, class-wise NMS, best
 * first, at most {@code maxDetections}. Boxes stay in model input pixels (cx, cy, w, h → corners).
 */
final class YoloDecoder {

  /** Most candidates that enter NMS (Ultralytics' max_nms), best first. */
  static final int MAX_NMS = 30_000;

  /** A box in input pixels (corners), its score and class. */
  record Box(float x1, float y1, float x2, float y2, float score, int classId) {}

  private YoloDecoder() {}

  /**
   * @param values one image's output: {@code [4+nc, anchors]} (yolov8) or {@code [anchors, 5+nc]} (yolov5)
   * @param keep classes to keep, or null for all
   */
  static List<Box> decode(float[] values, long[] shape, boolean yolov5, float confidence, boolean[] keep) {
    if (shape.length != 2) {
      throw new IllegalStateException("detector output per image must have 2 dimensions, got " + Arrays.toString(shape));
    }
    int rows = (int) shape[0];
    int cols = (int) shape[1];
    int anchors = yolov5 ? rows : cols;
    int classes = yolov5 ? cols - 5 : rows - 4;
    if (classes < 1) {
      throw new IllegalStateException("detector output " + Arrays.toString(shape) + " has no class scores");
    }
    List<Box> candidates = new ArrayList<>();
    if (!yolov5) {
      return decodeClassMajor(values, cols, anchors, classes, confidence, keep, candidates);
    }
    for (int a = 0; a < anchors; a++) {
      float best = -1;
      int bestClass = -1;
      float objectness = 1;
      if (yolov5) {
        objectness = values[a * cols + 4];
        if (objectness < confidence) {
          continue; // Ultralytics filters on objectness first
        }
      }
      for (int c = 0; c < classes; c++) {
        if (keep != null && (c >= keep.length || !keep[c])) {
          continue;
        }
        float score = yolov5 ? objectness * values[a * cols + 5 + c] : values[(4 + c) * cols + a];
        if (score > best) {
          best = score;
          bestClass = c;
        }
      }
      if (bestClass < 0 || best < confidence) {
        continue;
      }
      float cx = yolov5 ? values[a * cols] : values[a];
      float cy = yolov5 ? values[a * cols + 1] : values[cols + a];
      float w = yolov5 ? values[a * cols + 2] : values[2 * cols + a];
      float h = yolov5 ? values[a * cols + 3] : values[3 * cols + a];
      candidates.add(new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, best, bestClass));
    }
    return candidates;
  }

  /**
   * The YOLOv8 layout {@code [4+nc, anchors]} read row by row (each class's scores are contiguous)
   * instead of anchor by anchor across rows: the same best class per anchor (the first of equal
   * scores), at a fraction of the memory traffic.
   */
  private static List<Box> decodeClassMajor(float[] values, int cols, int anchors, int classes, float confidence,
      boolean[] keep, List<Box> candidates) {
    float[] best = new float[anchors];
    int[] bestClass = new int[anchors];
    Arrays.fill(best, -1f);
    Arrays.fill(bestClass, -1);
    for (int c = 0; c < classes; c++) {
      if (keep != null && (c >= keep.length || !keep[c])) {
        continue;
      }
      int row = (4 + c) * cols;
      for (int a = 0; a < anchors; a++) {
        float score = values[row + a];
        if (score > best[a]) {
          best[a] = score;
          bestClass[a] = c;
        }
      }
    }
    for (int a = 0; a < anchors; a++) {
      if (bestClass[a] < 0 || best[a] < confidence) {
        continue;
      }
      float cx = values[a];
      float cy = values[cols + a];
      float w = values[2 * cols + a];
      float h = values[3 * cols + a];
      candidates.add(new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, best[a], bestClass[a]));
    }
    return candidates;
  }

  /** Class-wise non-maximum suppression: a box is dropped if a better one of its class overlaps it more than {@code iou}. */
  static List<Box> nms(List<Box> candidates, float iou, int maxDetections) {
    List<Box> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingDouble(Box::score).reversed());
    if (sorted.size() > MAX_NMS) {
      sorted = sorted.subList(0, MAX_NMS);
    }
    List<Box> kept = new ArrayList<>();
    for (Box box : sorted) {
      boolean suppressed = false;
      for (Box better : kept) {
        if (better.classId() == box.classId() && iou(better, box) > iou) {
          suppressed = true;
          break;
        }
      }
      if (!suppressed) {
        kept.add(box);
        if (kept.size() == maxDetections) {
          break;
        }
      }
    }
    return kept;
  }

  static float iou(Box a, Box b) {
    float iw = Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1());
    float ih = Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1());
    if (iw <= 0 || ih <= 0) {
      return 0;
    }
    float inter = iw * ih;
    float union = (a.x2() - a.x1()) * (a.y2() - a.y1()) + (b.x2() - b.x1()) * (b.y2() - b.y1()) - inter;
    return union <= 0 ? 0 : inter / union;
  }
}
