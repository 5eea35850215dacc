package io.framewire.eventstore;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the event writer's last write succeeded, for {@code /health}, the metrics and the log. A
 * fault is logged when it starts, then at most once per {@code logInterval} while it lasts (with how
 * long and how many attempts), and once when the store recovers: a database down for an hour writes
 * a few dozen lines, not one per batch.
 */
public final class StoreHealth {

  /** What {@code /health} shows: ok, or failing since when and why. */
  public record Status(boolean ok, long failingSinceMillis, long failedAttempts, String lastError) {

    /** {@code {"status": "ok"}} or {@code {"status": "failing", "since": ms, "attempts": n, "detail": "…"}}. */
    public Map<String, Object> toJson() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("status", ok ? "ok" : "failing");
      if (!ok) {
        json.put("since", failingSinceMillis);
        json.put("attempts", failedAttempts);
        json.put("detail", lastError);
      }
      return json;
    }
  }

  private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);
  private static final Status OK = new Status(true, 0, 0, null);

  private final Duration logInterval;
  private final LongSupplier clock;
  private volatile Status status = OK;
  private long lastLogged; // guarded by this

  public StoreHealth(Duration logInterval, LongSupplier clockMillis) {
    this.logInterval = logInterval;
    this.clock = clockMillis;
  }

  public Status status() {
    return status;
  }

  /** A write failed with {@code error}. */
  public synchronized void failed(String error) {
    long now = clock.getAsLong();
    Status was = status;
    status = was.ok()
        ? new Status(false, now, 1, error)
        : new Status(false, was.failingSinceMillis(), was.failedAttempts() + 1, error);
    if (was.ok()) {
      lastLogged = now;
      log.warn("event store: a write failed; events wait in the writer's queue and are retried: {}", error);
    } else if (now - lastLogged >= logInterval.toMillis()) {
      lastLogged = now;
      log.warn("event store: still failing after {} s ({} attempts): {}",
          (now - status.failingSinceMillis()) / 1000, status.failedAttempts(), error);
    }
  }

  /** A write succeeded. */
  public synchronized void succeeded() {
    Status was = status;
    if (!was.ok()) {
      status = OK;
      log.info("event store: writing again after {} s of failures ({} attempts)",
          (clock.getAsLong() - was.failingSinceMillis()) / 1000, was.failedAttempts());
    }
  }
}
