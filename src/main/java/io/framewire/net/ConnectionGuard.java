package io.framewire.net;

import io.framewire.metrics.StreamMetrics;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Admission of TCP connections to the public port: counts open connections per client address and
 * in total, refuses those over {@link ConnectionLimits}, and records every refusal (also the header
 * deadline's) in {@code connections_refused_total{reason}} and, at most once per address and reason
 * per interval, in the log ({@code connection_refused}, with how many were refused since the last
 * line). Thread-safe: connections are admitted on the accept stream and released from their own
 * stream's termination.
 */
public final class ConnectionGuard {

  /** Why a connection was refused or closed early; the {@code reason} label. */
  public enum Reason {
    PER_ADDRESS_LIMIT("per_address_limit"),
    SERVER_LIMIT("server_limit"),
    HEADER_TIMEOUT("header_timeout");

    public final String label;

    Reason(String label) {
      this.label = label;
    }
  }

  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);
  /** Log throttle entries kept at most; beyond, the table is cleared (a few lines more, never unbounded memory). */
  private static final int MAX_LOG_ENTRIES = 10_000;

  private final ConnectionLimits limits;
  private final StreamMetrics metrics;
  private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final Map<String, LogWindow> logWindows = new ConcurrentHashMap<>();

  private static final class LogWindow {
    final AtomicLong lastLoggedNanos = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong suppressed = new AtomicLong();
  }

  public ConnectionGuard(ConnectionLimits limits, StreamMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
  }

  public ConnectionLimits limits() {
    return limits;
  }

  /**
   * Admits a connection from {@code address} or says why not. An admitted connection must be
   * {@link #release released} exactly once when it ends.
   */
  public Optional<Reason> admit(InetAddress address) {
    if (total.incrementAndGet() > limits.serverWide()) {
      total.decrementAndGet();
      refused(address, Reason.SERVER_LIMIT);
      return Optional.of(Reason.SERVER_LIMIT);
    }
    boolean[] over = {false};
    // compute() runs atomically per address: no admission can slip between a check and a release.
    perAddress.compute(address, (a, count) -> {
      int open = count == null ? 0 : count;
      if (open >= limits.perAddress()) {
        over[0] = true;
        return count;
      }
      return open + 1;
    });
    if (over[0]) {
      total.decrementAndGet();
      refused(address, Reason.PER_ADDRESS_LIMIT);
      return Optional.of(Reason.PER_ADDRESS_LIMIT);
    }
    metrics.connectionsOpen.inc();
    return Optional.empty();
  }

  /** An admitted connection ended. */
  public void release(InetAddress address) {
    metrics.connectionsOpen.dec();
    total.decrementAndGet();
    // The entry goes when it drops to zero: the table holds only addresses with open connections.
    perAddress.computeIfPresent(address, (a, count) -> count <= 1 ? null : count - 1);
  }

  /** Open connections from {@code address}. */
  public int openFrom(InetAddress address) {
    return perAddress.getOrDefault(address, 0);
  }

  public int openTotal() {
    return total.get();
  }

  /** Counts a refusal and logs it unless this address and reason were logged within the interval. */
  public void refused(InetAddress address, Reason reason) {
    metrics.connectionsRefused.labels(reason.label).inc();
    if (logWindows.size() > MAX_LOG_ENTRIES) {
      logWindows.clear();
    }
    LogWindow window = logWindows.computeIfAbsent(address.getHostAddress() + " " + reason.label, k -> new LogWindow());
    long now = System.nanoTime();
    long last = window.lastLoggedNanos.get();
    boolean due = last == Long.MIN_VALUE || now - last >= limits.refusalLogInterval().toNanos();
    if (due && window.lastLoggedNanos.compareAndSet(last, now)) {
      long since = window.suppressed.getAndSet(0);
      // The event's fields go into the MDC for this one call, so the JSON encoder writes each as a
      // top-level key (as the streaming package's events do).
      Map<String, String> fields = Map.of(
          "event_type", "connection_refused", "client_address", address.getHostAddress(), "reason", reason.label);
      fields.forEach(MDC::put);
      try {
        log.warn("connection from {} refused: {} ({} more from this address and reason since the last such line; "
                + "limits: {} per address, {} in total, request headers within {} ms)",
            address.getHostAddress(), reason.label, since,
            limits.perAddress(), limits.serverWide(), limits.headerTimeout().toMillis());
      } finally {
        fields.keySet().forEach(MDC::remove);
      }
    } else {
      window.suppressed.incrementAndGet();
    }
  }
}
