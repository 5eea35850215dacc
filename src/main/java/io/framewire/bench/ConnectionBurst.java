package io.framewire.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The connection-burst benchmark's two programs ({@code scripts/bench/connection_burst.sh}).
 *
 * <p>{@code burst PORT N LIMIT PID ROUNDS}, per round: opens {@code LIMIT} connections from 127.0.0.2
 * (each sending an unfinished request: the per-address limit is then reached), stops the server
 * process {@code PID} (SIGSTOP), opens {@code N} more from 127.0.0.2 and then one {@code /health}
 * request from 127.0.0.1, so that the kernel holds them all in the accept queue with the honest one
 * last, resumes the server (SIGCONT) and measures from then when all {@code N} were closed by the
 * server (the refusal rate), the server's CPU time per refusal over that span (all its threads,
 * {@code /proc/PID/task/*}{@code /schedstat}), and when the {@code /health} answer's status line
 * arrived. One line per round: {@code round=I refused=R refused_ms=T rate_per_s=X
 * server_cpu_us_per_refusal=C health_ms=H health_status=S}.
 *
 * <p>{@code reset-server PORT}: the reference, a bare blocking accept loop on 127.0.0.1 that resets
 * every connection at once (SO_LINGER 0 and close): what refusing costs the JVM and kernel alone.
 */
public final class ConnectionBurst {

  private static final byte[] PARTIAL = "GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HEALTH =
      "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final long TIMEOUT_NANOS = 60_000_000_000L;

  private ConnectionBurst() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("reset-server")) {
      resetServer(Integer.parseInt(args[1]));
    } else if (args.length == 6 && args[0].equals("burst")) {
      burst(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Long.parseLong(args[4]),
          Integer.parseInt(args[5]));
    } else {
      System.err.println("usage: ConnectionBurst burst PORT N LIMIT PID ROUNDS | reset-server PORT");
      System.exit(2);
    }
  }

  private static void resetServer(int port) throws IOException {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress("127.0.0.1", port), 4096);
      System.out.println("listening on " + port);
      while (true) {
        Socket socket = server.accept();
        socket.setSoLinger(true, 0);
        socket.close();
      }
    }
  }

  private static void burst(int port, int n, int limit, long pid, int rounds) throws Exception {
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
    for (int i = 0; i < 20; i++) {
      get(target, "/health"); // warm-up of the honest path
    }
    long cpuBefore;
    for (int round = 1; round <= rounds; round++) {
      List<SocketChannel> held = open(target, limit, null);
      get(target, "/health"); // answered only after the held ones were accepted (the queue is FIFO)
      try (Selector selector = Selector.open()) {
        signal("STOP", pid);
        List<SocketChannel> burst;
        Socket health = new Socket();
        try {
          burst = open(target, n, selector);
          health.bind(new InetSocketAddress("127.0.0.1", 0));
          health.connect(target, 5000);
          health.getOutputStream().write(HEALTH);
        } finally {
          cpuBefore = cpuNanos(pid);
          signal("CONT", pid);
        }
        long start = System.nanoTime();
        long[] healthNanos = {-1};
        String[] status = {"none"};
        Thread reader = new Thread(() -> {
          try {
            health.setSoTimeout(60_000);
            byte[] line = health.getInputStream().readNBytes(12);
            status[0] = new String(line, StandardCharsets.US_ASCII).replace(' ', '_');
          } catch (IOException e) {
            status[0] = "closed";
          }
          healthNanos[0] = System.nanoTime() - start;
        });
        reader.start();
        long[] closed = awaitClosed(selector, n, start);
        reader.join(60_000);
        double cpuUsPerRefusal = (cpuNanos(pid) - cpuBefore) / 1e3 / Math.max(1, closed[0]);
        double refusedMs = (closed[1] - start) / 1e6;
        System.out.printf(Locale.ROOT,
            "round=%d refused=%d refused_ms=%.1f rate_per_s=%.0f server_cpu_us_per_refusal=%.1f health_ms=%.1f"
                + " health_status=%s%n",
            round, closed[0], refusedMs, refusedMs > 0 ? closed[0] * 1000 / refusedMs : 0, cpuUsPerRefusal,
            healthNanos[0] / 1e6, status[0]);
        health.close();
        for (SocketChannel channel : burst) {
          channel.close();
        }
      } finally {
        for (SocketChannel channel : held) {
          channel.close();
        }
      }
      awaitReleased(target);
    }
  }

  /** Opens {@code count} connections from 127.0.0.2 sending an unfinished request; registered for reads if {@code selector}. */
  private static List<SocketChannel> open(InetSocketAddress target, int count, Selector selector) throws IOException {
    InetAddress attacker = InetAddress.getByName("127.0.0.2");
    List<SocketChannel> channels = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      SocketChannel channel = SocketChannel.open();
      channels.add(channel);
      channel.bind(new InetSocketAddress(attacker, 0));
      channel.connect(target);
      try {
        channel.write(ByteBuffer.wrap(PARTIAL));
      } catch (IOException refusedAlready) {
        continue; // the server is running and refused it: nothing to watch
      }
      if (selector != null) {
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_READ);
      }
    }
    return channels;
  }

  /** Waits until {@code expected} registered sockets read end-of-stream or a reset: {how many, the last one's time}. */
  private static long[] awaitClosed(Selector selector, int expected, long start) throws IOException {
    int closedCount = 0;
    long lastClose = start;
    ByteBuffer buffer = ByteBuffer.allocate(1024);
    while (closedCount < expected && System.nanoTime() - start < TIMEOUT_NANOS) {
      selector.select(100);
      for (SelectionKey key : selector.selectedKeys()) {
        buffer.clear();
        int read;
        try {
          read = ((SocketChannel) key.channel()).read(buffer);
        } catch (IOException reset) {
          read = -1;
        }
        if (read < 0) {
          key.cancel();
          closedCount++;
          lastClose = System.nanoTime();
        }
      }
      selector.selectedKeys().clear();
    }
    return new long[] {closedCount, lastClose};
  }

  /** Until the server's {@code connections_open} is 0 again (at most 10 s; a server without it: at once). */
  private static void awaitReleased(InetSocketAddress target) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      String metrics = get(target, "/metrics");
      if (!metrics.contains("\nconnections_open ") || metrics.contains("\nconnections_open 0.0")) {
        return;
      }
      Thread.sleep(50);
    }
  }

  /** The whole answer to GET {@code path} from 127.0.0.1, or "" when the connection failed. */
  private static String get(InetSocketAddress target, String path) {
    try (Socket socket = new Socket()) {
      socket.connect(target, 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      return "";
    }
  }

  /** CPU time of all threads of process {@code pid} so far, in ns ({@code /proc/PID/task/N/schedstat}). */
  private static long cpuNanos(long pid) throws IOException {
    long total = 0;
    try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + pid + "/task"))) {
      for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
        try {
          total += Long.parseLong(java.nio.file.Files.readString(task.resolve("schedstat")).split(" ")[0]);
        } catch (IOException threadEnded) {
          // a thread that ended meanwhile: its time is lost, a few µs at most
        }
      }
    }
    return total;
  }

  private static void signal(String name, long pid) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
  }
}
