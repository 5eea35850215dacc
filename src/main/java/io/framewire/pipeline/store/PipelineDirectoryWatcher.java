package io.framewire.pipeline.store;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hot reload of the pipelines directory: a {@link WatchService} on it, one daemon thread that
 * waits for events, lets a burst settle (the debounce: no event for that long, e.g. an editor's
 * write-rename-chmod), then has the registry rescan the whole directory ({@link
 * PipelineRegistry#rescanDirectory}). Rescanning everything instead of applying single events
 * keeps it right when events are coalesced or overflow.
 */
public final class PipelineDirectoryWatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PipelineDirectoryWatcher.class);

  private final PipelineRegistry registry;
  private final Path directory;
  private final Duration debounce;
  private final WatchService watcher;
  private final Thread thread;

  private PipelineDirectoryWatcher(PipelineRegistry registry, Path directory, Duration debounce) throws IOException {
    this.registry = registry;
    this.directory = directory;
    this.debounce = debounce;
    this.watcher = directory.getFileSystem().newWatchService();
    directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    this.thread = new Thread(this::run, "framewire-pipelines-watcher");
    this.thread.setDaemon(true);
  }

  /**
   * Starts watching {@code registry}'s directory.
   *
   * @throws IllegalArgumentException if the registry has no directory
   * @throws java.io.UncheckedIOException if the directory cannot be watched
   */
  public static PipelineDirectoryWatcher start(PipelineRegistry registry, Duration debounce) {
    Objects.requireNonNull(registry, "registry");
    Path dir = registry.directory().orElseThrow(() -> new IllegalArgumentException("no pipelines directory"));
    PipelineDirectoryWatcher started;
    try {
      started = new PipelineDirectoryWatcher(registry, dir, debounce);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot watch " + dir + ": " + e.getMessage(), e);
    }
    started.thread.start();
    log.info("watching {} for pipeline changes (debounce {} ms)", dir, debounce.toMillis());
    return started;
  }

  private void run() {
    try {
      // Files changed between the startup load and the registration above.
      registry.rescanDirectory();
      while (true) {
        WatchKey key = watcher.take();
        drain(key);
        // Debounce: keep collecting until the directory has been quiet for a while.
        WatchKey more;
        while ((more = watcher.poll(debounce.toMillis(), TimeUnit.MILLISECONDS)) != null) {
          drain(more);
        }
        try {
          registry.rescanDirectory();
        } catch (RuntimeException e) {
          log.error("pipelines directory: rescan of {} failed", directory, e);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // closed: stop
    }
  }

  private static void drain(WatchKey key) {
    key.pollEvents();
    key.reset();
  }

  /** Stops watching; waits briefly for a rescan in progress. */
  @Override
  public void close() {
    try {
      watcher.close();
    } catch (IOException e) {
      log.debug("closing the watch service", e);
    }
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
