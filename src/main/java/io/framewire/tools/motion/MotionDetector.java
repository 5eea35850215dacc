package io.framewire.tools.motion;

import io.framewire.api.Tool;
import io.framewire.api.image.GrayImage;
import io.framewire.api.image.JpegDecoder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code motion/detect}: compares each frame with a running-average background of the session's
 * earlier frames (at reduced size, see {@link Downscaled}), and reports the regions that differ.
 *
 * <p>Stateful: one instance per session, called by one frame at a time (so no locking). The
 * background is reset when the frame size changes, and that frame reports no motion.
 */
final class MotionDetector implements Tool {

  private final MotionParams params;
  private float[] background; // null until the first frame, and after a size change
  private int frameWidth;
  private int frameHeight;

  MotionDetector(MotionParams params) {
    this.params = params;
  }

  @Override
  public Map<String, Object> apply(Map<String, Object> input) {
    GrayImage gray = JpegDecoder.grayOf(input);
    Downscaled frame = Downscaled.of(gray);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("motion", detect(gray, frame));
    return out;
  }

  private Map<String, Object> detect(GrayImage gray, Downscaled frame) {
    if (background == null || gray.width() != frameWidth || gray.height() != frameHeight) {
      background = frame.pixels().clone();
      frameWidth = gray.width();
      frameHeight = gray.height();
      return result(List.of(), 0);
    }
    float[] pixels = frame.pixels();
    boolean[] changed = new boolean[pixels.length];
    int changedCount = 0;
    float alpha = (float) params.alpha();
    for (int i = 0; i < pixels.length; i++) {
      if (Math.abs(pixels[i] - background[i]) >= params.threshold()) {
        changed[i] = true;
        changedCount++;
      }
      background[i] += alpha * (pixels[i] - background[i]);
    }
    int factor = frame.factor();
    // min_area is in frame pixels; each analysis pixel stands for factor² of them.
    int minArea = Math.max(1, (params.minArea() + factor * factor - 1) / (factor * factor));
    List<Map<String, Object>> regions = new ArrayList<>();
    for (Regions.Box box : Regions.find(changed, frame.width(), frame.height(), minArea)) {
      int x = box.x() * factor;
      int y = box.y() * factor;
      regions.add(box(x, y, Math.min(box.w() * factor, frameWidth - x), Math.min(box.h() * factor, frameHeight - y)));
    }
    return result(regions, (double) changedCount / pixels.length);
  }

  private static Map<String, Object> result(List<Map<String, Object>> regions, double score) {
    Map<String, Object> motion = new LinkedHashMap<>();
    motion.put("regions", regions);
    motion.put("score", Math.round(score * 10_000) / 10_000.0);
    return motion;
  }

  private static Map<String, Object> box(int x, int y, int w, int h) {
    Map<String, Object> box = new LinkedHashMap<>();
    box.put("x", x);
    box.put("y", y);
    box.put("w", w);
    box.put("h", h);
    return box;
  }

  @Override
  public void close() {
    background = null;
  }
}
