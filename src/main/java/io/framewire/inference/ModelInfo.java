package io.framewire.inference;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What framewire reads from a model file once, at load: its image input (NCHW float) and first
 * output's shape, and its metadata, including the class names Ultralytics exports write as
 * {@code names = "{0: 'person', 1: 'car'}"}.
 *
 * @param inputShape {@code [N, C, H, W]}; N is -1 when the batch dimension is dynamic
 * @param outputShape the first output's shape, -1 for dynamic dimensions
 */
public record ModelInfo(
    String inputName, long[] inputShape, int channels, int height, int width,
    long[] outputShape, Map<String, String> metadata, Map<Integer, String> names) {

  /** Whether the batch dimension is fixed at 1: such a model is run one request at a time. */
  public boolean batchFixedAtOne() {
    return inputShape[0] == 1;
  }

  public int inputSize() {
    return channels * height * width;
  }

  private static final Pattern NAME_ENTRY = Pattern.compile("(\\d+)\\s*:\\s*(['\"])(.*?)\\2");

  /** Parses a Python dict literal of int → str, as Ultralytics writes {@code names}; empty if absent. */
  static Map<Integer, String> parseNames(String names) {
    if (names == null || names.isBlank()) {
      return Map.of();
    }
    Map<Integer, String> parsed = new LinkedHashMap<>();
    Matcher m = NAME_ENTRY.matcher(names);
    while (m.find()) {
      parsed.put(Integer.parseInt(m.group(1)), m.group(3));
    }
    return Collections.unmodifiableMap(parsed);
  }

  /** Reads {@code imgsz} metadata ("[640, 640]" or "640"): [height, width], or null. */
  static int[] parseImgsz(String imgsz) {
    if (imgsz == null) {
      return null;
    }
    Matcher m = Pattern.compile("\\d+").matcher(imgsz);
    int[] dims = new int[2];
    int found = 0;
    while (m.find() && found < 2) {
      dims[found++] = Integer.parseInt(m.group());
    }
    if (found == 0) {
      return null;
    }
    return found == 1 ? new int[] {dims[0], dims[0]} : dims;
  }

  static String shape(long[] shape) {
    return Arrays.toString(shape).replace("-1", "?");
  }
}
