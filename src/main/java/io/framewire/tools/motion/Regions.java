package io.framewire.tools.motion;

import java.util.ArrayList;
import java.util.List;

/** 8-connected regions of a binary mask, as bounding boxes with their pixel counts. */
final class Regions {

  record Box(int x, int y, int w, int h, int area) {}

  private Regions() {}

  /** Boxes of the regions of {@code mask} (width×height, row-major) with at least {@code minArea} pixels. */
  static List<Box> find(boolean[] mask, int width, int height, int minArea) {
    boolean[] seen = new boolean[mask.length];
    int[] stack = new int[mask.length]; // each pixel is pushed at most once
    List<Box> boxes = new ArrayList<>();
    for (int start = 0; start < mask.length; start++) {
      if (!mask[start] || seen[start]) {
        continue;
      }
      int top = 0;
      stack[top++] = start;
      seen[start] = true;
      int minX = width, minY = height, maxX = -1, maxY = -1, area = 0;
      while (top > 0) {
        int p = stack[--top];
        int px = p % width;
        int py = p / width;
        area++;
        minX = Math.min(minX, px);
        maxX = Math.max(maxX, px);
        minY = Math.min(minY, py);
        maxY = Math.max(maxY, py);
        for (int ny = Math.max(0, py - 1); ny <= Math.min(height - 1, py + 1); ny++) {
          for (int nx = Math.max(0, px - 1); nx <= Math.min(width - 1, px + 1); nx++) {
            int n = ny * width + nx;
            if (mask[n] && !seen[n]) {
              seen[n] = true;
              stack[top++] = n;
            }
          }
        }
      }
      if (area >= minArea) {
        boxes.add(new Box(minX, minY, maxX - minX + 1, maxY - minY + 1, area));
      }
    }
    return boxes;
  }
}
