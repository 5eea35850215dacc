package io.framewire.inference;

import java.util.List;
import java.util.Map;

/** Class id → label: the {@code labels} param, else the model's {@code names} metadata, else the id. */
final class Labels {

  private final List<String> fromParams;
  private final Map<Integer, String> fromModel;

  Labels(List<String> fromParams, Map<Integer, String> fromModel) {
    this.fromParams = fromParams;
    this.fromModel = fromModel;
  }

  String of(int classId) {
    if (fromParams != null) {
      return classId < fromParams.size() ? fromParams.get(classId) : String.valueOf(classId);
    }
    String name = fromModel.get(classId);
    return name != null ? name : String.valueOf(classId);
  }

  /** The class id of {@code label}, or -1. */
  int idOf(String label, int classes) {
    for (int c = 0; c < classes; c++) {
      if (of(c).equals(label)) {
        return c;
      }
    }
    return -1;
  }

  /** Number of classes the labels know, or -1 (the model has no names and params gave none). */
  int known() {
    if (fromParams != null) {
      return fromParams.size();
    }
    return fromModel.isEmpty() ? -1 : fromModel.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
  }

  /** {@code v} rounded to {@code decimals} places, for compact JSON. */
  static double round(double v, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }
}
