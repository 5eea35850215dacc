package io.framewire.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers a test starts later (ffmpeg listeners, cluster nodes, brokers): a port that is
 * free now and that nothing else is likely to take before the server binds it. A port from the
 * kernel's ephemeral range (what binding port 0 gives) is not: every outgoing connection of the
 * machine (a cluster node dialling its seeds, a camera client) draws its local port from that range,
 * and one did take a cluster node's port between the test's pick and the node's bind. So the ports
 * come from below that range, at random, checked free, and never the same twice in one JVM.
 */
public final class FreePorts {

  private static final int LOWEST = 20_000;
  private static final Set<Integer> GIVEN = new HashSet<>();

  private FreePorts() {}

  /** A free TCP port on 127.0.0.1 outside the ephemeral range. */
  public static synchronized int pick() {
    int below = ephemeralLow();
    if (below - LOWEST < 1_000) {
      return kernelsChoice(); // an unusual range: nothing to avoid it by
    }
    for (int attempt = 0; attempt < 200; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
      if (!GIVEN.contains(port) && bindable(port)) {
        GIVEN.add(port);
        return port;
      }
    }
    return kernelsChoice();
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int kernelsChoice() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first port of Linux's ephemeral range (32768 by default); elsewhere, IANA's 49152. */
  private static int ephemeralLow() {
    try {
      String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
      return Integer.parseInt(range.split("\\s+")[0]);
    } catch (IOException | RuntimeException notLinux) {
      return 49_152;
    }
  }
}
