package io.framewire.memory;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap the load left behind back to the operating system once the server is idle: when a
 * whole interval has passed without any garbage collection, and the last one was not its own, it
 * asks for one full collection ({@link System#gc()}). A collector shrinks the heap only when it
 * collects, and an idle server allocates too little to trigger one, so without this the memory a
 * burst of large frames made the heap commit stays committed until the next burst (ParallelGC and
 * SerialGC have no timer of their own; with bin/framewire's {@code -XX:MaxHeapFreeRatio} the
 * collection shrinks the heap to the live set plus a margin, docs/operations.md#memory). G1 with
 * {@code -XX:G1PeriodicGCInterval} does this itself, so then this stays off.
 *
 * <p>At most one collection per quiet period: under load collections happen all the time and it
 * never fires; after the load it fires once, then waits for the next collection that is not its
 * own. Its thread is the one daemon thread it owns, stopped by {@link #close()}.
 */
public final class IdleHeapRelease implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IdleHeapRelease.class);

  private final LongSupplier collections;
  private final Runnable collect;
  private final ScheduledExecutorService timer;
  private long seen = -1; // collections counted at the previous check
  private long afterOwn = -1; // collections counted right after this class's last collection

  /**
   * A release that checks on {@link #check()} only (no thread of its own).
   *
   * @param collections the number of collections the JVM has run so far
   * @param collect runs a full collection
   */
  IdleHeapRelease(LongSupplier collections, Runnable collect) {
    this(collections, collect, null);
  }

  private IdleHeapRelease(LongSupplier collections, Runnable collect, ScheduledExecutorService timer) {
    this.collections = collections;
    this.collect = collect;
    this.timer = timer;
  }

  /**
   * Starts checking every {@code interval} with this JVM's collectors, or returns null when the
   * interval is zero or the JVM already collects idle heap itself (G1's periodic collection).
   */
  public static IdleHeapRelease start(Duration interval) {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("framewire.memory.idle-gc-ms must be 0 (off) or positive");
    }
    if (interval.isZero()) {
      return null;
    }
    if (jvmCollectsWhenIdle()) {
      log.info("idle heap release: left to G1's periodic collection (-XX:G1PeriodicGCInterval)");
      return null;
    }
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "framewire-idle-heap-release");
      t.setDaemon(true);
      return t;
    });
    IdleHeapRelease release = new IdleHeapRelease(IdleHeapRelease::jvmCollections, IdleHeapRelease::collectAndLog, timer);
    timer.scheduleWithFixedDelay(release::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return release;
  }

  /**
   * One check: collects if no collection ran since the previous check and the last one was not
   * this class's own.
   *
   * @return whether it asked for a collection
   */
  synchronized boolean check() {
    long now = collections.getAsLong();
    boolean quiet = now == seen && now != afterOwn;
    if (quiet) {
      collect.run();
      now = collections.getAsLong();
      afterOwn = now;
    }
    seen = now;
    return quiet;
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  static long jvmCollections() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  private static void collectAndLog() {
    MemoryUsage before = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    System.gc();
    MemoryUsage after = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    log.info("idle heap release: no collection for a while, collected: heap committed {} -> {} MB, used {} MB",
        before.getCommitted() >> 20, after.getCommitted() >> 20, after.getUsed() >> 20);
  }

  /** G1 with a periodic collection interval set returns idle heap by itself. */
  static boolean jvmCollectsWhenIdle() {
    try {
      HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      return hotspot != null
          && Boolean.parseBoolean(hotspot.getVMOption("UseG1GC").getValue())
          && Long.parseLong(hotspot.getVMOption("G1PeriodicGCInterval").getValue()) > 0;
    } catch (RuntimeException notHotSpot) {
      return false;
    }
  }
}
