package com.example.quality;

import io.framewire.api.Tool;
import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.GrayImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures a frame's mean brightness and sharpness (variance of the 4-neighbour Laplacian, the usual
 * blur measure: a blurred or flat image has few strong second derivatives) on its gray view, and
 * marks it {@code ok: false} with the reasons when it is too dark or too blurry.
 *
 * <p>Output: {@code {"quality": {"brightness": 87.2, "sharpness": 412.5, "ok": true, "reasons": []}}}.
 * A downstream node can read {@code quality.ok} from its input to skip the expensive work.
 */
final class QualityGate implements Tool {

  private final double minBrightness;
  private final double minSharpness;
  private final int step;

  QualityGate(double minBrightness, double minSharpness, int step) {
    this.minBrightness = minBrightness;
    this.minSharpness = minSharpness;
    this.step = step;
  }

  @Override
  public Map<String, Object> apply(Map<String, Object> input) {
    // The engine decodes each frame at most once and shares it between nodes; a frame that is not
    // a valid JPEG throws InvalidImageException here, which fails the frame with this node's id.
    GrayImage gray = DecodedFrame.of(input).gray();
    double brightness = meanLuma(gray, step);
    double sharpness = laplacianVariance(gray, step);

    List<String> reasons = new ArrayList<>();
    if (brightness < minBrightness) {
      reasons.add("too_dark");
    }
    if (sharpness < minSharpness) {
      reasons.add("too_blurry");
    }
    Map<String, Object> quality = new LinkedHashMap<>();
    quality.put("brightness", round(brightness));
    quality.put("sharpness", round(sharpness));
    quality.put("ok", reasons.isEmpty());
    quality.put("reasons", reasons);
    return Map.of("quality", quality);
  }

  static double meanLuma(GrayImage img, int step) {
    long sum = 0;
    long n = 0;
    for (int y = 0; y < img.height(); y += step) {
      for (int x = 0; x < img.width(); x += step) {
        sum += img.at(x, y);
        n++;
      }
    }
    return (double) sum / n;
  }

  static double laplacianVariance(GrayImage img, int step) {
    if (img.width() < 3 || img.height() < 3) {
      return 0;
    }
    double sum = 0;
    double sumSq = 0;
    long n = 0;
    for (int y = 1; y < img.height() - 1; y += step) {
      for (int x = 1; x < img.width() - 1; x += step) {
        int lap = img.at(x - 1, y) + img.at(x + 1, y) + img.at(x, y - 1) + img.at(x, y + 1) - 4 * img.at(x, y);
        sum += lap;
        sumSq += (double) lap * lap;
        n++;
      }
    }
    double mean = sum / n;
    return sumSq / n - mean * mean;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
