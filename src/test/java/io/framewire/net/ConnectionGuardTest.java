package io.framewire.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.metrics.StreamMetrics;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionGuardTest {

  private final StreamMetrics metrics = new StreamMetrics(false);

  private ConnectionGuard guard(int perAddress, int total) {
    return new ConnectionGuard(new ConnectionLimits(Duration.ofSeconds(5), perAddress, total,
        OptionalLong.empty(), Duration.ofMinutes(1), Duration.ofMillis(500)), metrics);
  }

  private double refused(String reason) {
    Double v = metrics.registry().getSampleValue("connections_refused_total", new String[] {"reason"}, new String[] {reason});
    return v == null ? 0 : v;
  }

  @Test
  void admitsUpToTheLimitsAndReleasesSlots() throws Exception {
    ConnectionGuard guard = guard(2, 3);
    InetAddress a = InetAddress.getByName("10.0.0.1");
    InetAddress b = InetAddress.getByName("10.0.0.2");
    assertEquals(Optional.empty(), guard.admit(a));
    assertEquals(Optional.empty(), guard.admit(a));
    assertEquals(Optional.of(ConnectionGuard.Reason.PER_ADDRESS_LIMIT), guard.admit(a));
    assertEquals(Optional.empty(), guard.admit(b));
    assertEquals(Optional.of(ConnectionGuard.Reason.SERVER_LIMIT), guard.admit(b));
    assertEquals(3, guard.openTotal());
    assertEquals(1.0, refused("per_address_limit"));
    assertEquals(1.0, refused("server_limit"));
    assertEquals(3.0, metrics.registry().getSampleValue("connections_open"));

    guard.release(a);
    assertEquals(1, guard.openFrom(a));
    assertEquals(Optional.empty(), guard.admit(b));
    guard.release(a);
    guard.release(b);
    guard.release(b);
    assertEquals(0, guard.openTotal());
    assertEquals(0, guard.openFrom(a));
    assertEquals(0.0, metrics.registry().getSampleValue("connections_open"));
  }

  @Test
  void concurrentAdmissionsAndReleasesKeepExactCounts() throws Exception {
    ConnectionGuard guard = guard(50, 10_000);
    InetAddress a = InetAddress.getByName("10.0.0.3");
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      pool.execute(() -> {
        for (int i = 0; i < 10_000; i++) {
          if (guard.admit(a).isEmpty()) {
            admitted.incrementAndGet();
            guard.release(a);
          }
        }
      });
    }
    pool.shutdown();
    assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS));
    assertEquals(80_000, admitted.get(), "8 threads never hold more than 8 < 50 connections");
    assertEquals(0, guard.openFrom(a));
    assertEquals(0, guard.openTotal());
  }

  @Test
  void theAutomaticServerWideLimitLeavesDescriptorsFree() {
    assertEquals(18_000, ConnectionLimits.fromDescriptorLimit(OptionalLong.of(20_000)));
    assertEquals(768, ConnectionLimits.fromDescriptorLimit(OptionalLong.of(1024)));
    assertEquals(16, ConnectionLimits.fromDescriptorLimit(OptionalLong.of(100)));
    assertEquals(4096, ConnectionLimits.fromDescriptorLimit(OptionalLong.empty()));
  }
}
