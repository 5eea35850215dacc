package io.framewire.inference;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code framewire.inference} settings (docs/configuration.md), read by {@code
 * io.framewire.settings.FramewireSettings}.
 *
 * @param modelsDir where {@code model} params are looked up ({@code MODELS_DIR})
 * @param provider the execution provider every model gets ({@code INFERENCE_PROVIDER})
 * @param maxBatch most requests one model run takes ({@code INFERENCE_MAX_BATCH}; 1 disables
 *     batching); {@link #AUTO}: chosen per model by measurement at load ({@link ModelTuner})
 * @param queueSize requests waiting per model before new ones are answered dropped ({@code INFERENCE_QUEUE_SIZE})
 * @param concurrentRuns model runs in flight at once per model ({@code INFERENCE_CONCURRENT_RUNS}), or {@link #AUTO}
 * @param intraOpThreads ONNX Runtime's intra-op threads per run ({@code INFERENCE_INTRA_OP_THREADS}),
 *     or {@link #AUTO}: the cores divided among the concurrent runs
 */
public record InferenceSettings(
    Path modelsDir, Provider provider, int maxBatch, int queueSize, int concurrentRuns, int intraOpThreads) {

  /** A knob chosen per model by measurement ({@code auto} in the settings). */
  public static final int AUTO = 0;

  /** Where models run. */
  public enum Provider { CPU, CUDA }

  public InferenceSettings {
    if (maxBatch < AUTO) {
      throw new IllegalArgumentException("framewire.inference.max-batch (INFERENCE_MAX_BATCH) must be >= 1 or auto, got " + maxBatch);
    }
    if (queueSize < 1) {
      throw new IllegalArgumentException("framewire.inference.queue-size (INFERENCE_QUEUE_SIZE) must be >= 1, got " + queueSize);
    }
    if (concurrentRuns < AUTO) {
      throw new IllegalArgumentException(
          "framewire.inference.concurrent-runs (INFERENCE_CONCURRENT_RUNS) must be >= 1 or auto, got " + concurrentRuns);
    }
    if (intraOpThreads < AUTO) {
      throw new IllegalArgumentException(
          "framewire.inference.intra-op-threads (INFERENCE_INTRA_OP_THREADS) must be >= 1 or auto, got " + intraOpThreads);
    }
    modelsDir = modelsDir.toAbsolutePath().normalize();
  }

  /** {@code cpu} or {@code cuda}, any case. */
  public static Provider provider(String name) {
    String provider = name.trim().toLowerCase(Locale.ROOT);
    return switch (provider) {
      case "cpu" -> Provider.CPU;
      case "cuda" -> Provider.CUDA;
      default -> throw new IllegalArgumentException(
          "framewire.inference.provider (INFERENCE_PROVIDER) must be cpu or cuda, got '" + provider + "'");
    };
  }

  /** Whether any of the model knobs is left to measurement. */
  public boolean tunes() {
    return maxBatch == AUTO || concurrentRuns == AUTO || intraOpThreads == AUTO;
  }

  /**
   * A knob's setting: {@code auto} ({@link #AUTO}) or a number at least 1.
   *
   * @throws IllegalArgumentException naming the key and its variable otherwise
   */
  public static int knob(String value, String key, String env) {
    String v = value.trim();
    if (v.equalsIgnoreCase("auto")) {
      return AUTO;
    }
    int n;
    try {
      n = Integer.parseInt(v);
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 1) {
      throw new IllegalArgumentException("framewire.inference." + key + " (" + env + ") must be >= 1 or auto, got " + v);
    }
    return n;
  }
}
