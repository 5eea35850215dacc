package io.framewire.sinks;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition with a deadline (checked every few ms), failing with what was seen. */
final class Awaits {

  private Awaits() {}

  static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<Object> seen) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what + "; saw " + seen.get());
      }
      LockSupport.parkNanos(5_000_000);
    }
  }
}
