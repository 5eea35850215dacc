package io.framewire.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.framewire.net.ConnectionGuard;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Connection floods against real sockets. The attacker binds its sockets to 127.0.0.2 (Linux routes
 * all of 127.0.0.0/8 to loopback), the honest client uses 127.0.0.1, so the per-address accounting
 * sees two clients. 2,000 attacker connections plus the server's 2,000 accepted ends need about
 * 4,100 descriptors in this JVM; {@link #assumeDescriptors} checks the limit first and says how to
 * raise it (the JVM raises its soft limit to the hard one by itself on Linux).
 */
class ConnectionFloodTest {

  private static final InetAddress ATTACKER = address("127.0.0.2");
  private static final byte[] PARTIAL_HEADERS =
      "GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);

  @Test
  void slowlorisFloodFromOneAddressLeavesOthersServedAndIsClosedByTheHeaderDeadline() throws Exception {
    int flood = 2000;
    assumeDescriptors(2 * flood + 300);
    ListAppender<ILoggingEvent> refusals = captureRefusalLog();
    try (TestServer server = TestServer.start(Map.of(
            // Long enough for the server to have accepted all 2,000 before the first is closed (accepting
            // costs pekko's TCP layer about 1 ms per connection, several on a busy machine).
            "framewire.connections.header-timeout-ms", 10_000,
            "framewire.connections.max-per-address", flood + 10));
        Selector selector = Selector.open()) {
      // Warm up the honest client's side (JDK HttpClient and WebSocket classes, pekko's route) so that
      // the timing below is the server's under the flood, not class loading in this JVM.
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest healthRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
          .timeout(Duration.ofSeconds(5)).build();
      assertEquals(200, http.send(healthRequest, HttpResponse.BodyHandlers.ofString()).statusCode());
      try (WsTestClient warmUp = server.stream("echo")) {
        warmUp.sendBinary(TestJpegs.solid(64, 48, TestJpegs.DARK));
        assertTrue(warmUp.next().has("result"));
      }
      List<SocketChannel> attacker = new ArrayList<>();
      try {
        for (int i = 0; i < flood; i++) {
          SocketChannel channel = SocketChannel.open();
          attacker.add(channel);
          channel.bind(new InetSocketAddress(ATTACKER, 0));
          channel.connect(new InetSocketAddress("127.0.0.1", server.port()));
          channel.write(ByteBuffer.wrap(PARTIAL_HEADERS));
          channel.configureBlocking(false);
          channel.register(selector, SelectionKey.OP_READ);
        }
        ConnectionGuard guard = server.server.connections();
        TestServer.await(() -> "server holds the flood: " + guard.openFrom(ATTACKER), Duration.ofSeconds(9),
            () -> guard.openFrom(ATTACKER) == flood);

        // While all 2,000 are held: an honest client gets /health and a working session at once.
        long start = System.nanoTime();
        // A new client instance: a new connection, not the warm-up's kept-alive one.
        HttpResponse<String> health = HttpClient.newHttpClient().send(healthRequest, HttpResponse.BodyHandlers.ofString());
        long healthMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, health.statusCode());
        start = System.nanoTime();
        try (WsTestClient client = server.stream("echo")) {
          client.sendBinary(TestJpegs.solid(64, 48, TestJpegs.DARK));
          assertTrue(client.next().has("result"));
          long sessionMillis = (System.nanoTime() - start) / 1_000_000;
          assertTrue(healthMillis < 1000, "/health took " + healthMillis + " ms under the flood");
          assertTrue(sessionMillis < 1000, "session took " + sessionMillis + " ms under the flood");
          assertEquals(flood, guard.openFrom(ATTACKER), "the flood was still held while the client was served");
          System.out.printf("flood of %d held: /health in %d ms, first session answer in %d ms%n",
              flood, healthMillis, sessionMillis);
          assertEquals("HTTP/1.1 431", oversizedHeaderStatus(server.port()), "a 200 KB header is answered at once");

          // The header deadline closes every attacker socket: each reads end-of-stream (or a reset).
          int closed = awaitAllClosed(selector, flood, Duration.ofSeconds(30));
          assertEquals(flood, closed, "attacker sockets closed by the server");
          assertEquals(flood, refusedTotal(server, "header_timeout"), 0.0);
          TestServer.await(() -> "attacker slots released", Duration.ofSeconds(10), () -> guard.openFrom(ATTACKER) == 0);

          // The honest session was upgraded before the deadline: it is not subject to it.
          client.sendBinary(TestJpegs.solid(64, 48, TestJpegs.DARK));
          assertTrue(client.next().has("result"), "the session outlived the header deadline");
        }
      } finally {
        for (SocketChannel channel : attacker) {
          channel.close();
        }
      }
      long refusalLines = refusals.list.stream()
          .filter(e -> "header_timeout".equals(e.getMDCPropertyMap().get("reason")))
          .count();
      assertEquals(1, refusalLines, "2,000 refusals from one address are logged once per interval");
    } finally {
      releaseRefusalLog(refusals);
    }
  }

  @Test
  void connectionsOverThePerAddressLimitAreClosedAtOnceAndCounted() throws Exception {
    try (TestServer server = TestServer.start(Map.of("framewire.connections.max-per-address", 3))) {
      List<Socket> held = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          held.add(connectFrom(ATTACKER, server.port()));
        }
        ConnectionGuard guard = server.server.connections();
        TestServer.await(() -> "3 held", Duration.ofSeconds(10), () -> guard.openFrom(ATTACKER) == 3);
        assertEquals(-1, firstByteFrom(ATTACKER, server.port()), "the 4th connection is closed without a byte");
        assertEquals(1, refusedTotal(server, "per_address_limit"), 0.0);

        // Another address is not affected.
        assertEquals(200, get(server.port(), "/health"));

        // A slot frees when a connection ends.
        held.remove(0).close();
        TestServer.await(() -> "slot released", Duration.ofSeconds(10), () -> guard.openFrom(ATTACKER) == 2);
        try (Socket again = connectFrom(ATTACKER, server.port())) {
          again.setSoTimeout(10_000);
          again.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
          String response = new String(again.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
          assertTrue(response.startsWith("HTTP/1.1 200"), response);
        }
      } finally {
        for (Socket s : held) {
          s.close();
        }
      }
    }
  }

  /**
   * A refusal is a reset, not a FIN: the refused client's read fails at once instead of seeing an
   * orderly end (the JDK's asynchronous channels cannot set SO_LINGER, which once made every
   * "reset" a FIN).
   */
  @Test
  void aConnectionOverTheLimitIsReset() throws Exception {
    try (TestServer server = TestServer.start(Map.of("framewire.connections.max-per-address", 1));
        Socket held = connectFrom(ATTACKER, server.port())) {
      ConnectionGuard guard = server.server.connections();
      TestServer.await(() -> "1 held", Duration.ofSeconds(10), () -> guard.openFrom(ATTACKER) == 1);
      // The reset may already end the client's connect (the server accepts and resets that fast).
      SocketException reset = assertThrows(SocketException.class, () -> {
        try (Socket second = connectFrom(ATTACKER, server.port())) {
          second.setSoTimeout(10_000);
          second.getInputStream().read();
        }
      });
      assertTrue(reset.getMessage().startsWith("Connection reset"), reset.getMessage());
      assertEquals(1, refusedTotal(server, "per_address_limit"), 0.0);
    }
  }

  /**
   * A burst far over the per-address limit: every over-limit connection is refused at accept (closed
   * without a byte, counted), the admitted ones are held, and a client from another address is
   * served meanwhile. How fast is for scripts/bench/connection_burst.sh.
   */
  @Test
  void aBurstOverThePerAddressLimitIsRefusedAtAcceptWhileOthersAreServed() throws Exception {
    int limit = 100;
    int burst = 1500;
    assumeDescriptors(burst + limit + 300);
    try (TestServer server = TestServer.start(Map.of(
            // The admitted ones stay held for the whole test: only refusals close sockets here.
            "framewire.connections.header-timeout-ms", 120_000,
            "framewire.connections.max-per-address", limit));
        Selector selector = Selector.open()) {
      ConnectionGuard guard = server.server.connections();
      List<SocketChannel> attacker = new ArrayList<>();
      int refusedBeforeWrite = 0;
      try {
        for (int i = 0; i < burst; i++) {
          SocketChannel channel = SocketChannel.open();
          attacker.add(channel);
          channel.bind(new InetSocketAddress(ATTACKER, 0));
          channel.connect(new InetSocketAddress("127.0.0.1", server.port()));
          try {
            channel.write(ByteBuffer.wrap(PARTIAL_HEADERS));
          } catch (IOException reset) {
            refusedBeforeWrite++; // refused (reset) before the request was even written
            continue;
          }
          channel.configureBlocking(false);
          channel.register(selector, SelectionKey.OP_READ);
        }
        // Right after the burst, another address is served.
        assertEquals(200, get(server.port(), "/health"));

        int[] closed = awaitClosedCountingBytes(selector, burst - limit - refusedBeforeWrite, Duration.ofSeconds(60));
        assertEquals(burst - limit, closed[0] + refusedBeforeWrite, "over-limit connections closed by the server");
        assertEquals(0, closed[1], "refused connections got no byte");
        assertEquals(burst - limit, refusedTotal(server, "per_address_limit"), 0.0);
        assertEquals(limit, guard.openFrom(ATTACKER), "the admitted ones are still held");
        assertEquals(200, get(server.port(), "/health"));
      } finally {
        for (SocketChannel channel : attacker) {
          channel.close();
        }
      }
      TestServer.await(() -> "attacker slots released: " + guard.openFrom(ATTACKER), Duration.ofSeconds(10),
          () -> guard.openFrom(ATTACKER) == 0);
    }
  }

  @Test
  void connectionsOverTheServerWideLimitAreClosedAtOnce() throws Exception {
    try (TestServer server = TestServer.start(Map.of("framewire.connections.max", 2));
        Socket a = connectFrom(ATTACKER, server.port());
        Socket b = connectFrom(address("127.0.0.3"), server.port())) {
      ConnectionGuard guard = server.server.connections();
      TestServer.await(() -> "2 held", Duration.ofSeconds(10), () -> guard.openTotal() == 2);
      assertEquals(-1, firstByteFrom(address("127.0.0.4"), server.port()));
      assertEquals(1, refusedTotal(server, "server_limit"), 0.0);
      assertTrue(server.server.metrics().scrape().contains("connections_open 2.0"));
    }
  }

  @Test
  void anOversizedRequestHeaderIsAnswered431AtOnce() throws Exception {
    try (TestServer server = TestServer.start()) {
      assertEquals("HTTP/1.1 431", oversizedHeaderStatus(server.port()));
    }
  }

  /** The status line of the answer to a request with a 200 KB header. */
  private static String oversizedHeaderStatus(int port) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      String big = "a".repeat(200 * 1024);
      // Written from another thread: the server may answer (and close) before reading it all.
      Thread writer = new Thread(() -> {
        try {
          out.write(("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException closedEarly) {
          // expected once the server has answered and closed
        }
      });
      writer.start();
      String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      writer.join(10_000);
      return statusLine;
    }
  }

  // --- helpers

  private static Socket connectFrom(InetAddress from, int port) throws IOException {
    Socket socket = new Socket();
    socket.bind(new InetSocketAddress(from, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    return socket;
  }

  /** Connects and reads one byte: -1 when the server closes or resets it (at connect already, too). */
  private static int firstByteFrom(InetAddress from, int port) throws IOException {
    Socket socket = new Socket();
    try (socket) {
      socket.bind(new InetSocketAddress(from, 0));
      try {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      } catch (SocketException reset) {
        return -1; // reset while the connect was finishing
      }
      socket.setSoTimeout(10_000);
      return readOrEof(socket.getInputStream());
    }
  }

  private static int readOrEof(InputStream in) {
    try {
      return in.read();
    } catch (IOException reset) {
      return -1; // a reset is a close too
    }
  }

  private static int get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static double refusedTotal(TestServer server, String reason) {
    Double value = server.server.metrics().registry()
        .getSampleValue("connections_refused_total", new String[] {"reason"}, new String[] {reason});
    return value == null ? 0 : value;
  }

  /**
   * Waits until {@code expected} registered channels read end-of-stream or fail (or the timeout);
   * returns {how many did, bytes read from all of them}.
   */
  private static int[] awaitClosedCountingBytes(Selector selector, int expected, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int closed = 0;
    int bytes = 0;
    ByteBuffer buffer = ByteBuffer.allocate(1024);
    while (closed < expected && System.nanoTime() < deadline) {
      selector.select(200);
      for (SelectionKey key : selector.selectedKeys()) {
        buffer.clear();
        int n;
        try {
          n = ((SocketChannel) key.channel()).read(buffer);
        } catch (IOException reset) {
          n = -1;
        }
        if (n < 0) {
          key.cancel();
          closed++;
        } else {
          bytes += n;
        }
      }
      selector.selectedKeys().clear();
    }
    return new int[] {closed, bytes};
  }

  /** Waits until every registered channel reads end-of-stream or fails; returns how many did. */
  private static int awaitAllClosed(Selector selector, int expected, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int closed = 0;
    ByteBuffer buffer = ByteBuffer.allocate(1024);
    while (closed < expected && System.nanoTime() < deadline) {
      selector.select(200);
      for (SelectionKey key : selector.selectedKeys()) {
        SocketChannel channel = (SocketChannel) key.channel();
        buffer.clear();
        int n;
        try {
          n = channel.read(buffer);
        } catch (IOException reset) {
          n = -1;
        }
        if (n < 0) {
          key.cancel();
          closed++;
        }
      }
      selector.selectedKeys().clear();
    }
    return closed;
  }


  private static void assumeDescriptors(long needed) {
    var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      long limit = unix.getMaxFileDescriptorCount();
      assertTrue(limit >= needed, "this test needs " + needed + " file descriptors, the JVM has " + limit
          + ": raise the hard limit (ulimit -Hn) of the shell that runs mvn");
    }
  }

  private static ListAppender<ILoggingEvent> captureRefusalLog() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(ConnectionGuard.class)).addAppender(appender);
    return appender;
  }

  private static void releaseRefusalLog(ListAppender<ILoggingEvent> appender) {
    ((Logger) LoggerFactory.getLogger(ConnectionGuard.class)).detachAppender(appender);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
