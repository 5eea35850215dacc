package io.framewire.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MANAGEMENT_PORT: /health and /metrics on a port of their own, reachable while the public port is full. */
class ManagementPortTest {

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void healthAndMetricsStayReachableWhileThePublicPortIsAtItsLimit() throws Exception {
    try (TestServer server = TestServer.start(Map.of(
            "framewire.management.port", 0,
            "framewire.connections.max", 1));
        Socket holder = new Socket()) {
      int management = server.server.managementPort().orElseThrow();
      holder.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      holder.connect(new InetSocketAddress("127.0.0.1", server.port()));
      TestServer.await(() -> "the public port holds the connection", Duration.ofSeconds(10),
          () -> server.server.connections().openTotal() >= 1);
      assertEquals(1, server.server.connections().openTotal(), "the public port is full");
      assertEquals(-1, firstByte(server.port()), "the public port closes a second connection at once");

      HttpResponse<String> health = get(management, "/health");
      assertEquals(200, health.statusCode());
      HttpResponse<String> metrics = get(management, "/metrics");
      assertEquals(200, metrics.statusCode());
      assertTrue(metrics.body().contains("connections_refused_total{reason=\"server_limit\",} 1.0"), metrics.body());
      assertTrue(metrics.body().contains("connections_open 1.0"), metrics.body().lines().filter(l -> l.startsWith("connections")).toList().toString());
      // Only monitoring there: neither pipelines nor the admin API nor the stream.
      assertEquals(404, get(management, "/pipelines").statusCode());
      assertEquals(404, get(management, "/ws/video/stream?pipeline_id=echo").statusCode());
    }
  }

  @Test
  void offByDefault() {
    try (TestServer server = TestServer.start()) {
      assertTrue(server.server.managementPort().isEmpty());
    }
  }

  /** Connects and reads one byte: -1 when the server closes or resets it (at connect already, too). */
  private static int firstByte(int port) throws IOException {
    try (Socket socket = new Socket()) {
      try {
        socket.connect(new InetSocketAddress("127.0.0.1", port));
      } catch (SocketException reset) {
        return -1; // the refusal's reset arrived while the connect was finishing
      }
      socket.setSoTimeout(10_000);
      return readOrEof(socket);
    }
  }

  private static int readOrEof(Socket socket) {
    try {
      return socket.getInputStream().read();
    } catch (IOException reset) {
      return -1;
    }
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
