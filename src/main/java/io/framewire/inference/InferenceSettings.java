package io.framewire.inference;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code framewire.inference} settings (docs/configuration.md), read by {@code
 * io.framewire.settings.FramewireSettings}.
 *
 * @param modelsDir where {@code model} params are looked up ({@code MODELS_DIR})
 * @param provider the execution provider every model gets ({@code INFERENCE_PROVIDER})
 * @param maxBatch most requests one model run takes ({@code INFERENCE_MAX_BATCH}; 1 disables batching)
 * @param queueSize requests waiting per model before new ones fail fast ({@code INFERENCE_QUEUE_SIZE})
 * @param concurrentRuns model runs in flight at once per model ({@code INFERENCE_CONCURRENT_RUNS})
 * @param intraOpThreads ONNX Runtime's intra-op threads per run; 0 = its default, one per core
 *     ({@code INFERENCE_INTRA_OP_THREADS})
 */
public record InferenceSettings(
    Path modelsDir, Provider provider, int maxBatch, int queueSize, int concurrentRuns, int intraOpThreads) {

  /** Where models run. */
  public enum Provider { CPU, CUDA }

  public InferenceSettings {
    if (maxBatch < 1) {
      throw new IllegalArgumentException("framewire.inference.max-batch (INFERENCE_MAX_BATCH) must be >= 1, got " + maxBatch);
    }
    if (queueSize < 1) {
      throw new IllegalArgumentException("framewire.inference.queue-size (INFERENCE_QUEUE_SIZE) must be >= 1, got " + queueSize);
    }
    if (concurrentRuns < 1) {
      throw new IllegalArgumentException(
          "framewire.inference.concurrent-runs (INFERENCE_CONCURRENT_RUNS) must be >= 1, got " + concurrentRuns);
    }
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException(
          "framewire.inference.intra-op-threads (INFERENCE_INTRA_OP_THREADS) must be >= 0, got " + intraOpThreads);
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
}
