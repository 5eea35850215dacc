package io.framewire.jobs;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code framewire.jobs} settings (docs/configuration.md, docs/jobs.md).
 *
 * @param inputDir where {@code POST /jobs} may read files from ({@code JOBS_INPUT_DIR}); empty:
 *     {@code DATA_DIR/input}
 * @param maxUploadBytes the largest file an upload may send ({@code JOBS_MAX_UPLOAD_MB}); beyond: 413
 * @param maxRunning jobs decoding at once ({@code JOBS_MAX_RUNNING}); the others wait in order
 */
public record JobSettings(Optional<Path> inputDir, long maxUploadBytes, int maxRunning) {

  public JobSettings {
    Objects.requireNonNull(inputDir, "inputDir");
    if (maxUploadBytes < 1024 * 1024 || maxUploadBytes > 1024L * 1024 * 1024 * 1024) {
      throw new IllegalArgumentException("framewire.jobs.max-upload-mb must be 1..1048576, got "
          + maxUploadBytes / (1024 * 1024));
    }
    if (maxRunning < 1 || maxRunning > 64) {
      throw new IllegalArgumentException("framewire.jobs.max-running must be 1..64, got " + maxRunning);
    }
  }

  /** The defaults of reference.conf. */
  public static JobSettings defaults() {
    return new JobSettings(Optional.empty(), 512L * 1024 * 1024, 1);
  }

  /** The input directory: {@link #inputDir} or {@code dataDir/input}. */
  public Path inputDirUnder(Path dataDir) {
    return inputDir.orElse(dataDir.resolve("input"));
  }
}
