package io.framewire.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The idle rule, checked by hand with a counted collector: one full collection per quiet period,
 * none while collections keep happening, none twice in a row.
 */
class IdleHeapReleaseTest {

  private final AtomicLong collections = new AtomicLong(100);
  private final AtomicInteger requested = new AtomicInteger();
  // A requested collection counts as collections, as the JVM's counters do (Parallel: a scavenge and a full GC).
  private final IdleHeapRelease release = new IdleHeapRelease(collections::get, () -> {
    requested.incrementAndGet();
    collections.addAndGet(2);
  });

  @Test
  void collectsOnceAfterTheLoadStopsAndNotAgainUntilTheNextLoad() {
    assertFalse(release.check(), "the first check only sees the count");
    collections.addAndGet(40); // under load
    assertFalse(release.check());
    collections.addAndGet(3);
    assertFalse(release.check());
    assertEquals(0, requested.get(), "never while collections keep happening");

    assertTrue(release.check(), "a whole interval without a collection: one is asked for");
    assertFalse(release.check(), "its own collection is not a reason for another");
    assertFalse(release.check());
    assertEquals(1, requested.get());

    collections.incrementAndGet(); // the next burst
    assertFalse(release.check());
    assertTrue(release.check());
    assertEquals(2, requested.get());
  }

  @Test
  void aServerThatNeverCollectedIsCollectedOnceWhenQuiet() {
    collections.set(0);
    release.check();
    assertTrue(release.check(), "a quiet count is a quiet count, whatever its value");
    assertFalse(release.check());
  }

  @Test
  void zeroTurnsItOffAndNegativeIsRefused() {
    assertNull(IdleHeapRelease.start(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> IdleHeapRelease.start(Duration.ofMillis(-1)));
  }

  @Test
  void countsTheJvmsCollections() {
    long before = IdleHeapRelease.jvmCollections();
    System.gc();
    assertTrue(IdleHeapRelease.jvmCollections() > before, "System.gc() is counted by the collectors' MXBeans");
  }
}
