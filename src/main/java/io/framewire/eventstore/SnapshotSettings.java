package io.framewire.eventstore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Snapshots, retention and the live tail (docs/events.md), part of {@link EventStoreSettings}.
 *
 * @param enabled whether events get snapshots at all ({@code SNAPSHOTS_ENABLED})
 * @param dir where the files go; empty: {@code DATA_DIR/snapshots} ({@code SNAPSHOTS_DIR})
 * @param minInterval at most one snapshot per stream, track and event type per this much frame time
 *     ({@code SNAPSHOT_MIN_INTERVAL_MS})
 * @param queueSize frames waiting to be drawn; beyond it an event gets no snapshot, counted
 *     ({@code snapshots_dropped_total{reason="queue_full"}})
 * @param maxBytes the most bytes the snapshot files may take; the sweep deletes the oldest beyond it
 *     ({@code SNAPSHOTS_MAX_MB}; 0: no limit)
 * @param retentionDays events (and their snapshots) older than this many days are deleted by the
 *     sweep ({@code EVENTS_RETENTION_DAYS}; 0: kept forever)
 * @param sweepInterval how often the retention sweep runs ({@code EVENTS_RETENTION_SWEEP_MS})
 * @param tailBuffer stored events a live-tail watcher may have waiting; beyond it the newest are
 *     lost and the watcher is told how many ({@code EVENTS_TAIL_BUFFER})
 */
public record SnapshotSettings(
    boolean enabled,
    Optional<Path> dir,
    Duration minInterval,
    int queueSize,
    long maxBytes,
    int retentionDays,
    Duration sweepInterval,
    int tailBuffer) {

  /** The defaults of reference.conf. */
  public static final SnapshotSettings DEFAULTS = new SnapshotSettings(true, Optional.empty(), Duration.ofSeconds(2),
      16, 1024L * 1024 * 1024, 30, Duration.ofMinutes(10), 256);

  public SnapshotSettings {
    Objects.requireNonNull(dir, "dir");
    requireRange("framewire.events.snapshot-min-interval-ms", minInterval.toMillis(), 0, 86_400_000L);
    requireRange("framewire.events.snapshot-queue-size", queueSize, 1, 10_000);
    requireRange("framewire.events.snapshots-max-mb", maxBytes / (1024 * 1024), 0, 100_000_000L);
    requireRange("framewire.events.retention-days", retentionDays, 0, 100_000);
    requireRange("framewire.events.retention-sweep-interval-ms", sweepInterval.toMillis(), 1_000, 86_400_000L);
    requireRange("framewire.events.tail-buffer", tailBuffer, 1, 100_000);
  }

  /** The snapshot directory: {@link #dir} or {@code dataDir/snapshots}. */
  public Path dirUnder(Path dataDir) {
    return dir.orElseGet(() -> dataDir.resolve("snapshots"));
  }

  /** The same settings with snapshots off. */
  public SnapshotSettings off() {
    return new SnapshotSettings(false, dir, minInterval, queueSize, maxBytes, retentionDays, sweepInterval, tailBuffer);
  }

  private static void requireRange(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + " must be " + min + ".." + max + ", got " + value);
    }
  }
}
