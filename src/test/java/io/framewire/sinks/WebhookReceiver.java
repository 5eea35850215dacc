package io.framewire.sinks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A webhook endpoint for tests (the JDK's HTTP server on 127.0.0.1 and a free port): records each
 * request and answers the statuses it was told, in turn, then 204.
 */
final class WebhookReceiver implements AutoCloseable {

  /** One request as it arrived, with the status it was answered. */
  record Request(String signature, String eventId, String contentType, byte[] body, int answered) {}

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Deque<Integer> statuses = new ArrayDeque<>();

  WebhookReceiver(Integer... statuses) throws IOException {
    this.statuses.addAll(List.of(statuses));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hook", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int status;
      synchronized (requests) {
        status = this.statuses.isEmpty() ? 204 : this.statuses.poll();
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      synchronized (requests) {
        requests.add(new Request(exchange.getRequestHeaders().getFirst("X-Framewire-Signature"),
            exchange.getRequestHeaders().getFirst("X-Framewire-Event-Id"),
            exchange.getRequestHeaders().getFirst("Content-Type"), body, status));
        requests.notifyAll();
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** Waits until {@code count} requests were answered with a 2xx; returns every request so far. */
  List<Request> awaitAcknowledged(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (requests) {
      while (requests.stream().filter(r -> r.answered() / 100 == 2).count() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out waiting for " + count + " acknowledged requests; got "
              + requests.stream().map(r -> r.eventId() + "→" + r.answered()).toList());
        }
        requests.wait(Math.max(1, left / 1_000_000));
      }
      return List.copyOf(requests);
    }
  }

  List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
