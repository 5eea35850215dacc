package io.framewire.eventstore;

import io.framewire.metrics.SnapshotMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retention sweep (docs/events.md), every {@code retention-sweep-interval-ms}:
 *
 * <ol>
 *   <li>By age ({@code EVENTS_RETENTION_DAYS}): the events whose frame time is older are deleted, then
 *       the snapshot files of that age (a file's name starts with its event's frame time). Events
 *       first: a sweep cut short leaves files without events, which the next sweep deletes, never
 *       events naming deleted files.
 *   <li>By size ({@code SNAPSHOTS_MAX_MB}): while the files take more, the oldest go. Their events
 *       stay (the event is the record, the picture its illustration) with {@code snapshot} set to
 *       null first, then the files are deleted.
 * </ol>
 */
public final class Retention implements AutoCloseable {

  /** What one sweep did. */
  public record Sweep(long eventsDeleted, int filesByAge, int filesBySize, long bytesLeft) {}

  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final int CHUNK = 10_000;

  private final EventStore store;
  private final Path dir;
  private final SnapshotSettings settings;
  private final SnapshotMetrics metrics;
  private final Clock clock;
  private ScheduledExecutorService timer; // guarded by this

  /**
   * @param dir the snapshot directory
   * @param clock what "now" is (tests move it)
   */
  public Retention(EventStore store, Path dir, SnapshotSettings settings, SnapshotMetrics metrics, Clock clock) {
    this.store = store;
    this.dir = dir;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Sweeps every {@code retention-sweep-interval-ms}, the first time after at most a minute. Once. */
  public synchronized void start() {
    if (timer != null) {
      throw new IllegalStateException("already started");
    }
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "framewire-events-retention");
      thread.setDaemon(true);
      return thread;
    });
    long every = settings.sweepInterval().toMillis();
    timer.scheduleWithFixedDelay(() -> {
      try {
        Sweep done = sweep();
        if (done.eventsDeleted() > 0 || done.filesByAge() > 0 || done.filesBySize() > 0) {
          log.info("retention: {}", done);
        }
      } catch (RuntimeException e) { // the database is down: the next sweep tries again
        log.warn("retention sweep failed: {}", e.getMessage());
      }
    }, Math.min(every, 60_000), every, TimeUnit.MILLISECONDS);
  }

  /** One sweep, now (the timer's, or a test's). */
  public synchronized Sweep sweep() {
    long eventsDeleted = 0;
    int byAge = 0;
    List<SnapshotFile> files = list();
    if (settings.retentionDays() > 0) {
      long cutoff = clock.millis() - settings.retentionDays() * DAY;
      eventsDeleted = store.deleteBefore(cutoff, CHUNK);
      metrics.deletedEvents.inc(eventsDeleted);
      List<SnapshotFile> kept = new ArrayList<>();
      for (SnapshotFile file : files) {
        if (file.timeMillis() < cutoff) {
          if (delete(file.path())) {
            byAge++;
          }
        } else if (!file.partial()) {
          kept.add(file);
        }
      }
      files = kept;
      metrics.deletedFiles.labels("age").inc(byAge);
    } else {
      files = files.stream().filter(f -> !f.partial()).toList();
    }
    long bytes = files.stream().mapToLong(SnapshotFile::bytes).sum();
    int bySize = 0;
    if (settings.maxBytes() > 0 && bytes > settings.maxBytes()) {
      List<SnapshotFile> oldest = new ArrayList<>(files);
      oldest.sort(Comparator.comparingLong(SnapshotFile::timeMillis).thenComparing(f -> f.path().getFileName()));
      List<SnapshotFile> over = new ArrayList<>();
      long left = bytes;
      for (SnapshotFile file : oldest) {
        if (left <= settings.maxBytes()) {
          break;
        }
        over.add(file);
        left -= file.bytes();
      }
      store.clearSnapshots(over.stream().map(f -> f.path().getFileName().toString()).toList());
      for (SnapshotFile file : over) {
        if (delete(file.path())) {
          bySize++;
          bytes -= file.bytes();
        }
      }
      metrics.deletedFiles.labels("size").inc(bySize);
    }
    return new Sweep(eventsDeleted, byAge, bySize, bytes);
  }

  private record SnapshotFile(Path path, long timeMillis, long bytes, boolean partial) {}

  /** The snapshot files (and half-written {@code .part} files); nothing else in the directory. */
  private List<SnapshotFile> list() {
    List<SnapshotFile> files = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return files;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path path : (Iterable<Path>) entries::iterator) {
        String name = path.getFileName().toString();
        boolean partial = name.endsWith(".part");
        String base = partial ? name.substring(0, name.length() - ".part".length()) : name;
        if (Snapshots.NAME.matcher(base).matches()) {
          try {
            files.add(new SnapshotFile(path, Snapshots.timeOf(base), Files.size(path), partial));
          } catch (IOException e) {
            // deleted meanwhile
          }
        }
      }
    } catch (IOException e) {
      log.warn("retention: cannot list {}: {}", dir, e.toString());
    }
    return files;
  }

  private static boolean delete(Path file) {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("retention: cannot delete {}: {}", file, e.toString());
      return false;
    }
  }

  /** Stops the timer (a sweep in progress finishes). Idempotent. */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdown();
    }
  }
}
