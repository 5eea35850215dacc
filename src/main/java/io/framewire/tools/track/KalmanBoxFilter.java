package io.framewire.tools.track;

/**
 * A constant-velocity Kalman filter over one box: state {@code (cx, cy, w, h, vcx, vcy, vw, vh)},
 * measurement {@code (cx, cy, w, h)}, one step per frame (velocities in pixels per frame).
 *
 * <p>The noise follows ByteTrack's filter (after DeepSORT): standard deviations proportional to the
 * box size, 1/20 of it for positions and sizes and 1/160 for
 * velocities; x and w scale with the width, y and h with the height (as
 * in BoT-SORT's xywh filter, since the state holds w rather than an aspect ratio).
 */
final class KalmanBoxFilter {

  static final double POSITION_WEIGHT = 1.0 / 20;
  static final double VELOCITY_WEIGHT = 1.0 / 160;

  private final double[] x = new double[8];
  private final double[][] p = new double[8][8];

  KalmanBoxFilter(double cx, double cy, double w, double h) {
    x[0] = cx;
    x[1] = cy;
    x[2] = w;
    x[3] = h;
    double sw = scale(w);
    double sh = scale(h);
    double[] std = {
        2 * POSITION_WEIGHT * sw, 2 * POSITION_WEIGHT * sh, 2 * POSITION_WEIGHT * sw, 2 * POSITION_WEIGHT * sh,
        10 * VELOCITY_WEIGHT * sw, 10 * VELOCITY_WEIGHT * sh, 10 * VELOCITY_WEIGHT * sw, 10 * VELOCITY_WEIGHT * sh};
    for (int i = 0; i < 8; i++) {
      p[i][i] = std[i] * std[i];
    }
  }

  /** Sizes below one pixel would make the noise vanish and the filter singular. */
  private static double scale(double size) {
    return Math.max(1, Math.abs(size));
  }

  /** Advances one frame: {@code x = F x}, {@code P = F P Fᵀ + Q}. */
  void predict() {
    double sw = scale(x[2]);
    double sh = scale(x[3]);
    for (int i = 0; i < 4; i++) {
      x[i] += x[i + 4];
    }
    // F = [[I, I], [0, I]]: F P adds row i+4 to row i (i < 4); (F P) Fᵀ adds column j+4 to column j.
    double[][] fp = new double[8][8];
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 8; j++) {
        fp[i][j] = i < 4 ? p[i][j] + p[i + 4][j] : p[i][j];
      }
    }
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 8; j++) {
        p[i][j] = j < 4 ? fp[i][j] + fp[i][j + 4] : fp[i][j];
      }
    }
    double[] std = {
        POSITION_WEIGHT * sw, POSITION_WEIGHT * sh, POSITION_WEIGHT * sw, POSITION_WEIGHT * sh,
        VELOCITY_WEIGHT * sw, VELOCITY_WEIGHT * sh, VELOCITY_WEIGHT * sw, VELOCITY_WEIGHT * sh};
    for (int i = 0; i < 8; i++) {
      p[i][i] += std[i] * std[i];
    }
  }

  /** Corrects the state with a measured box. */
  void update(double cx, double cy, double w, double h) {
    double sw = scale(x[2]);
    double sh = scale(x[3]);
    double[] r = {POSITION_WEIGHT * sw, POSITION_WEIGHT * sh, POSITION_WEIGHT * sw, POSITION_WEIGHT * sh};
    double[][] s = new double[4][4];
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 4; j++) {
        s[i][j] = p[i][j];
      }
      s[i][i] += r[i] * r[i];
    }
    double[][] sInv = invert(s);
    double[][] k = new double[8][4]; // K = P Hᵀ S⁻¹, with P Hᵀ = P's first 4 columns
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 4; j++) {
        double sum = 0;
        for (int m = 0; m < 4; m++) {
          sum += p[i][m] * sInv[m][j];
        }
        k[i][j] = sum;
      }
    }
    double[] innovation = {cx - x[0], cy - x[1], w - x[2], h - x[3]};
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 4; j++) {
        x[i] += k[i][j] * innovation[j];
      }
    }
    double[][] next = new double[8][8]; // P - K H P, with H P = P's first 4 rows
    for (int i = 0; i < 8; i++) {
      for (int j = 0; j < 8; j++) {
        double sum = 0;
        for (int m = 0; m < 4; m++) {
          sum += k[i][m] * p[m][j];
        }
        next[i][j] = p[i][j] - sum;
      }
    }
    for (int i = 0; i < 8; i++) {
      System.arraycopy(next[i], 0, p[i], 0, 8);
    }
  }

  /** Gauss-Jordan with partial pivoting; the innovation covariance is symmetric positive definite. */
  private static double[][] invert(double[][] m) {
    int n = m.length;
    double[][] a = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], 0, a[i], 0, n);
      a[i][n + i] = 1;
    }
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int row = col + 1; row < n; row++) {
        if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
          pivot = row;
        }
      }
      double[] tmp = a[col];
      a[col] = a[pivot];
      a[pivot] = tmp;
      double d = a[col][col];
      for (int j = 0; j < 2 * n; j++) {
        a[col][j] /= d;
      }
      for (int row = 0; row < n; row++) {
        if (row != col) {
          double f = a[row][col];
          if (f != 0) {
            for (int j = 0; j < 2 * n; j++) {
              a[row][j] -= f * a[col][j];
            }
          }
        }
      }
    }
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], n, inv[i], 0, n);
    }
    return inv;
  }

  double cx() {
    return x[0];
  }

  double cy() {
    return x[1];
  }

  double w() {
    return Math.max(0, x[2]);
  }

  double h() {
    return Math.max(0, x[3]);
  }

  double vx() {
    return x[4];
  }

  double vy() {
    return x[5];
  }
}
