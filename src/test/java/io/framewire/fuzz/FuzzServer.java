package io.framewire.fuzz;

import io.framewire.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One real server per fuzz class, shared by all its tries: the event store on (in a temp data dir,
 * so {@code /events} and {@code /sinks} are live), and an HTTP/1.1 client with a timeout (a hang is
 * a failure, not a stuck build).
 */
final class FuzzServer implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(15);

  final TestServer server;
  final Path data;
  final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  FuzzServer() {
    try {
      data = Files.createTempDirectory("framewire-fuzz");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server = TestServer.start(Map.of(
        "framewire.events.enabled", true,
        "framewire.events.data-dir", data.toString(),
        // The fuzz creates sources: most fail to connect; they must not crowd each other out for long.
        "framewire.sources.max", 4));
  }

  int port() {
    return server.port();
  }

  URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  /** The server answers {@code /health} with 200 now (it survived what came before). */
  void assertHealthy(String after) {
    try {
      HttpResponse<String> health = client.send(
          HttpRequest.newBuilder(uri("/health")).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      if (health.statusCode() != 200) {
        throw new AssertionError("/health after " + after + " → " + health.statusCode() + " " + health.body());
      }
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("/health after " + after + " failed: " + e, e);
    }
  }

  @Override
  public void close() {
    server.close();
    try (Stream<Path> files = Files.walk(data)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException ignored) {
      // a temp directory left behind (or a file SQLite removed while we walked) is no test failure
    }
  }
}
