package io.framewire.eventstore;

import io.framewire.events.EventPublisher;
import io.framewire.events.FrameEvents;
import io.framewire.metrics.SnapshotMetrics;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes event snapshots, in front of the writer: the {@link EventPublisher} producers publish to.
 *
 * <p>Where the picture is taken: {@link #publish} (on the thread that completed the frame's run,
 * never the stream's own) only decides. An event is due a snapshot when its frame has a picture and
 * no snapshot of the same stream, event type and track was taken within {@code
 * snapshot-min-interval-ms} of frame time. A frame with due events goes, with its picture supplier
 * and the chosen file names, to a bounded snapshot queue ({@code snapshot-queue-size}); when it is
 * full the events get no snapshot, counted {@code snapshots_dropped_total{reason="queue_full"}}.
 * The events then go on to the writer with their file names (the {@code snapshot} column) and
 * without the picture: the writer's queue never holds frames. One thread of this class's own takes
 * frames from the snapshot queue, encodes the picture if it is not JPEG yet (a decoded camera frame),
 * draws each event's line or zone (its {@code geometry}), box and label and writes {@code
 * <time_ms>-<random>.jpg} (via a temporary file, so a reader never sees half a file).
 *
 * <p>So a stored event may name a file that is not written yet (for moments: the drawing thread is
 * behind) or never (the drawing failed, counted {@code reason="write_error"}); {@code GET
 * /events/{id}/snapshot.jpg} answers 404 for both.
 */
public final class Snapshots implements EventPublisher, AutoCloseable {

  /** The key an event's snapshot name travels under, from here to the store's {@code snapshot} column. */
  public static final String KEY = "snapshot";
  /** What a snapshot's file name looks like: anything else is refused (no path leaves the directory). */
  public static final Pattern NAME = Pattern.compile("\\d{1,19}-[0-9a-f]{16}\\.jpg");
  /** Distinct (stream, type, track) remembered; beyond it the least recently due is forgotten. */
  static final int REMEMBERED = 16_384;

  private static final Logger log = LoggerFactory.getLogger(Snapshots.class);

  private record Key(String stream, Object type, Object trackId) {}

  private record Shot(String name, Map<String, Object> event) {}

  private record Job(Supplier<byte[]> jpeg, List<Shot> shots) {}

  private static final Job STOP = new Job(() -> null, List.of());

  private final EventPublisher next;
  private final Path dir;
  private final long minIntervalMillis;
  private final SnapshotMetrics metrics;
  private final BlockingQueue<Job> queue;
  private final Thread worker;
  // Access order: the least recently due key goes first when full (it can only cost an extra snapshot).
  private final LinkedHashMap<Key, Long> lastTaken = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
      return size() > REMEMBERED;
    }
  }; // guarded by this
  private boolean stopped; // guarded by this
  private long enqueued; // guarded by this
  private long drawn; // guarded by this

  private Snapshots(EventPublisher next, Path dir, SnapshotSettings settings, SnapshotMetrics metrics) {
    this.next = next;
    this.dir = dir;
    this.minIntervalMillis = settings.minInterval().toMillis();
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(settings.queueSize());
    this.worker = new Thread(this::drawLoop, "framewire-snapshots");
    this.worker.setDaemon(true);
  }

  /**
   * Starts the drawing thread; events go on to {@code next} (the writer).
   *
   * @throws io.framewire.events.EventStoreException if {@code dir} cannot be created
   */
  public static Snapshots start(EventPublisher next, Path dir, SnapshotSettings settings, SnapshotMetrics metrics) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new io.framewire.events.EventStoreException("cannot create the snapshot directory " + dir, e);
    }
    Snapshots snapshots = new Snapshots(next, dir, settings, metrics);
    snapshots.worker.start();
    return snapshots;
  }

  /** The directory the files are written to. */
  public Path dir() {
    return dir;
  }

  /** The file of snapshot {@code name}, if the name is one this class gives and the file exists. */
  public Optional<Path> file(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    Path file = dir.resolve(name);
    return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
  }

  @Override
  public void publish(FrameEvents frame) {
    List<Map<String, Object>> events = new ArrayList<>(frame.events().size());
    List<Shot> shots = new ArrayList<>();
    synchronized (this) {
      List<Key> due = new ArrayList<>();
      for (Map<String, Object> event : frame.events()) {
        Map<String, Object> out = event;
        if (event.containsKey(KEY)) { // only this class names files: a tool's "snapshot" is not a path
          out = new LinkedHashMap<>(event);
          out.remove(KEY);
        }
        Key key = new Key(frame.stream(), event.get("type"), event.get("track_id"));
        if (frame.frameJpeg() != null && !stopped && isDue(key, frame.frameTimeMillis()) && !due.contains(key)) {
          out = new LinkedHashMap<>(out);
          out.put(KEY, name(frame.frameTimeMillis()));
          shots.add(new Shot((String) out.get(KEY), out));
          due.add(key);
        }
        events.add(out);
      }
      if (!shots.isEmpty()) {
        if (queue.offer(new Job(frame.frameJpeg(), shots))) {
          enqueued++;
          due.forEach(key -> lastTaken.put(key, frame.frameTimeMillis()));
        } else {
          metrics.dropped.labels(SnapshotMetrics.QUEUE_FULL).inc(shots.size());
          events.replaceAll(event -> {
            if (!event.containsKey(KEY)) {
              return event;
            }
            Map<String, Object> without = new LinkedHashMap<>(event);
            without.remove(KEY);
            return without;
          });
        }
      }
    }
    // Without the picture: what waits for the writer must not keep frames alive.
    next.publish(new FrameEvents(frame.stream(), frame.pipelineId(), frame.pipelineVersion(), frame.frameIndex(),
        frame.frameTimeMillis(), events, null));
  }

  /** No snapshot of this key within the interval (or frame time went back: a new recording). */
  private boolean isDue(Key key, long timeMillis) {
    Long last = lastTaken.get(key);
    return last == null || timeMillis - last >= minIntervalMillis || timeMillis < last;
  }

  /** The frame time a snapshot name starts with (a name {@link #NAME} matches). */
  static long timeOf(String name) {
    return Long.parseLong(name.substring(0, name.indexOf('-')));
  }

  private static String name(long timeMillis) {
    return Math.max(0, timeMillis) + "-" + String.format("%016x", ThreadLocalRandom.current().nextLong()) + ".jpg";
  }

  /** Frames waiting to be drawn. */
  public int queued() {
    return queue.size();
  }

  /**
   * Takes no more snapshots (events still go on, without) and waits up to {@code timeoutMillis} for
   * those queued to be written. Idempotent.
   */
  public void stop(long timeoutMillis) {
    synchronized (this) {
      if (stopped) {
        return;
      }
      stopped = true;
    }
    try {
      queue.put(STOP); // after what is queued; publish adds no more
      worker.join(timeoutMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(5_000);
  }

  private void drawLoop() {
    while (true) {
      Job job;
      try {
        job = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (job == STOP) {
        return;
      }
      try {
        draw(job);
      } finally {
        drawnOne();
      }
    }
  }

  private void draw(Job job) {
    BufferedImage frame;
    try {
      frame = SnapshotPainter.decode(job.jpeg().get());
    } catch (IOException | RuntimeException e) {
      metrics.dropped.labels(SnapshotMetrics.WRITE_ERROR).inc(job.shots().size());
      log.warn("snapshots: a frame could not be read, {} snapshots lost: {}", job.shots().size(), e.toString());
      return;
    }
    for (Shot shot : job.shots()) {
      Path file = dir.resolve(shot.name());
      Path partial = dir.resolve(shot.name() + ".part");
      try {
        byte[] jpeg = SnapshotPainter.paint(frame, shot.event());
        if (!Files.isDirectory(dir)) {
          Files.createDirectories(dir); // deleted while running (with DATA_DIR): made again
        }
        Files.write(partial, jpeg);
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        metrics.written.inc();
      } catch (IOException | RuntimeException e) {
        metrics.dropped.labels(SnapshotMetrics.WRITE_ERROR).inc();
        warnAtMostEveryMinute(file, e);
        try {
          Files.deleteIfExists(partial);
        } catch (IOException ignored) {
          // the sweep removes leftovers older than the retention
        }
      }
    }
  }

  private long lastWarned; // the drawing thread's own
  private long unwarned; // the drawing thread's own

  /** A full or read-only disk fails every snapshot: one line a minute says so, with how many. */
  private void warnAtMostEveryMinute(Path file, Exception e) {
    long now = System.currentTimeMillis();
    if (lastWarned != 0 && now - lastWarned < 60_000) {
      unwarned++;
      return;
    }
    log.warn("snapshots: {} could not be written ({} more failed since the last line): {}", file, unwarned, e.toString());
    lastWarned = now;
    unwarned = 0;
  }

  /** Waits until every frame queued so far is drawn or failed (tests, shutdown); false on timeout. */
  public synchronized boolean awaitDrawn(long timeoutMillis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (drawn < enqueued) {
      long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  private synchronized void drawnOne() {
    drawn++;
    notifyAll();
  }
}
