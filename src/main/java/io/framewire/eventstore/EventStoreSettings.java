package io.framewire.eventstore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code framewire.events} settings (docs/configuration.md, docs/events.md), read by {@code
 * io.framewire.settings.FramewireSettings}.
 *
 * @param enabled whether there is a store at all ({@code EVENTS_ENABLED}); off: nothing is opened and
 *     producers publish to {@link io.framewire.events.EventPublisher#NONE}
 * @param dataDir where the SQLite database ({@code events.db}) lives ({@code DATA_DIR})
 * @param dbUrl a {@code jdbc:postgresql://…} URL: the store is that PostgreSQL instead of SQLite
 * @param dbUser PostgreSQL's user, if the URL does not name it
 * @param dbPassword PostgreSQL's password, if the URL does not hold it
 * @param poolSize the most database connections open at once (the writer uses one)
 * @param queueSize frames with events that may wait for the writer; beyond it their events are
 *     dropped and counted ({@code events_dropped_total{reason="queue_full"}})
 * @param batchMax the most events written in one transaction
 * @param batchWindow the longest an event waits in the writer for its batch to fill
 * @param writeRetries how often a failed batch is tried again before it is dropped and counted
 * @param retryBackoff the wait before the first retry; doubles with each
 * @param snapshots snapshots, retention and the live tail
 */
public record EventStoreSettings(
    boolean enabled,
    Path dataDir,
    Optional<String> dbUrl,
    Optional<String> dbUser,
    Optional<String> dbPassword,
    int poolSize,
    int queueSize,
    int batchMax,
    Duration batchWindow,
    int writeRetries,
    Duration retryBackoff,
    SnapshotSettings snapshots) {

  public EventStoreSettings {
    Objects.requireNonNull(snapshots, "snapshots");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(dbUrl, "dbUrl");
    Objects.requireNonNull(dbUser, "dbUser");
    Objects.requireNonNull(dbPassword, "dbPassword");
    dbUrl.ifPresent(url -> {
      if (!url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "framewire.events.db-url must be a jdbc:postgresql://… URL (empty: SQLite in DATA_DIR), got '" + url + "'");
      }
    });
    requireRange("framewire.events.db-pool-size", poolSize, 1, 64);
    requireRange("framewire.events.queue-size", queueSize, 1, 1_000_000);
    requireRange("framewire.events.batch-max", batchMax, 1, 100_000);
    requireRange("framewire.events.batch-window-ms", batchWindow.toMillis(), 1, 60_000);
    requireRange("framewire.events.write-retries", writeRetries, 0, 100);
    requireRange("framewire.events.retry-backoff-ms", retryBackoff.toMillis(), 0, 60_000);
  }

  /** As the canonical constructor, with {@link SnapshotSettings#DEFAULTS}. */
  public EventStoreSettings(boolean enabled, Path dataDir, Optional<String> dbUrl, Optional<String> dbUser,
      Optional<String> dbPassword, int poolSize, int queueSize, int batchMax, Duration batchWindow, int writeRetries,
      Duration retryBackoff) {
    this(enabled, dataDir, dbUrl, dbUser, dbPassword, poolSize, queueSize, batchMax, batchWindow, writeRetries,
        retryBackoff, SnapshotSettings.DEFAULTS);
  }

  /** The snapshot directory ({@code SNAPSHOTS_DIR}, or {@code DATA_DIR/snapshots}). */
  public Path snapshotsDir() {
    return snapshots.dirUnder(dataDir);
  }

  /** The same settings with other snapshot, retention and tail settings. */
  public EventStoreSettings withSnapshots(SnapshotSettings newSnapshots) {
    return new EventStoreSettings(enabled, dataDir, dbUrl, dbUser, dbPassword, poolSize, queueSize, batchMax,
        batchWindow, writeRetries, retryBackoff, newSnapshots);
  }

  /** SQLite in {@code dataDir} with the defaults of reference.conf: tests and tools. */
  public static EventStoreSettings sqlite(Path dataDir) {
    return new EventStoreSettings(true, dataDir, Optional.empty(), Optional.empty(), Optional.empty(),
        4, 4096, 500, Duration.ofMillis(100), 3, Duration.ofMillis(200));
  }

  /** No store. */
  public static EventStoreSettings disabled() {
    return new EventStoreSettings(false, Path.of("data"), Optional.empty(), Optional.empty(), Optional.empty(),
        4, 4096, 500, Duration.ofMillis(100), 3, Duration.ofMillis(200));
  }

  /** The same settings with the store off. */
  public EventStoreSettings off() {
    return new EventStoreSettings(false, dataDir, dbUrl, dbUser, dbPassword, poolSize, queueSize, batchMax,
        batchWindow, writeRetries, retryBackoff, snapshots);
  }

  /** The same settings on PostgreSQL at {@code url}. */
  public EventStoreSettings onPostgres(String url, String user, String password) {
    return new EventStoreSettings(enabled, dataDir, Optional.of(url), Optional.ofNullable(user),
        Optional.ofNullable(password), poolSize, queueSize, batchMax, batchWindow, writeRetries, retryBackoff,
        snapshots);
  }

  /** The same settings with another writer shape (tests). */
  public EventStoreSettings withWriter(int queueSize, int batchMax, Duration batchWindow, int writeRetries,
      Duration retryBackoff) {
    return new EventStoreSettings(enabled, dataDir, dbUrl, dbUser, dbPassword, poolSize, queueSize, batchMax,
        batchWindow, writeRetries, retryBackoff, snapshots);
  }

  private static void requireRange(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(key + " must be " + min + ".." + max + ", got " + value);
    }
  }
}
