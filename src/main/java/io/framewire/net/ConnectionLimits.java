package io.framewire.net;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The connection-level limits of the public port ({@code framewire.connections.*}): how long a new
 * connection may take to deliver its first request's headers, how many connections one client
 * address may hold, and how many the whole server may hold (by default sized from the process's
 * file-descriptor limit, so that a flood cannot exhaust descriptors needed for files, logs and the
 * management port).
 *
 * @param headerTimeout a connection whose first request's headers are not complete by then is closed
 * @param perAddress most concurrent connections from one client IP address
 * @param serverWide most concurrent connections on the public port
 * @param fileDescriptorLimit the process's descriptor limit, if the platform tells it
 * @param refusalLogInterval a refusal is logged at most once per client address and reason per interval
 * @param closeGrace after a session ended over an oversized frame, how long the connection waits for
 *     the client's close frame before it is reset
 */
public record ConnectionLimits(
    Duration headerTimeout,
    int perAddress,
    int serverWide,
    OptionalLong fileDescriptorLimit,
    Duration refusalLogInterval,
    Duration closeGrace) {

  /** Descriptors kept free for everything but client connections (jar, logs, epoll, management port). */
  static final int RESERVED_DESCRIPTORS = 256;

  public ConnectionLimits {
    if (headerTimeout.isNegative() || headerTimeout.isZero()) {
      throw new IllegalArgumentException("framewire.connections.header-timeout-ms must be positive");
    }
    if (perAddress < 1) {
      throw new IllegalArgumentException("framewire.connections.max-per-address must be at least 1, got " + perAddress);
    }
    if (serverWide < 1) {
      throw new IllegalArgumentException("framewire.connections.max must be at least 1 (or 0: automatic), got " + serverWide);
    }
    if (refusalLogInterval.isNegative()) {
      throw new IllegalArgumentException("framewire.connections.refusal-log-interval-ms must not be negative");
    }
    if (closeGrace.isNegative()) {
      throw new IllegalArgumentException("framewire.connections.close-grace-ms must not be negative");
    }
  }

  /**
   * The limits with the server-wide one as configured, or for {@code max} 0 sized from this process's
   * file-descriptor limit ({@link #fromDescriptorLimit}).
   */
  public static ConnectionLimits of(
      Duration headerTimeout, int perAddress, int max, Duration refusalLogInterval, Duration closeGrace) {
    if (max < 0) {
      throw new IllegalArgumentException("framewire.connections.max must be 0 (automatic) or positive, got " + max);
    }
    OptionalLong fds = processDescriptorLimit();
    return new ConnectionLimits(headerTimeout, perAddress, max > 0 ? max : fromDescriptorLimit(fds), fds,
        refusalLogInterval, closeGrace);
  }

  /**
   * The automatic server-wide limit: 90 % of the descriptor limit, leaving at least
   * {@link #RESERVED_DESCRIPTORS} free; 4096 when the platform does not tell the limit.
   */
  static int fromDescriptorLimit(OptionalLong fds) {
    if (fds.isEmpty()) {
      return 4096;
    }
    long limit = fds.getAsLong();
    long usable = Math.min(limit * 9 / 10, limit - RESERVED_DESCRIPTORS);
    return (int) Math.max(16, Math.min(usable, Integer.MAX_VALUE));
  }

  /** {@code ulimit -n} of this process as the JVM sees it (the JVM raises the soft limit to the hard one on Linux). */
  static OptionalLong processDescriptorLimit() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return OptionalLong.of(unix.getMaxFileDescriptorCount());
    }
    return OptionalLong.empty();
  }
}
