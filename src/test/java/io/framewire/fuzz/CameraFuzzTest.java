package io.framewire.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.ServerProcess;
import io.framewire.testing.TestServer;
import io.framewire.testing.TestVideos;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live camera fed a corrupted stream: a server in a JVM of its own (a native crash in FFmpeg would
 * end that process, and the property would see it) has a {@code tcp://} source whose "camera" (a
 * socket here) sends a real H.264 MPEG-TS stream, made by FFmpeg's encoder and corrupted differently
 * on every connection after its first bytes, then hangs up. The camera keeps reconnecting, its
 * status names the problem without a class name, and the server process lives and answers {@code
 * /health}.
 */
class CameraFuzzTest {

  private static final Set<String> LIVE_STATES = Set.of("connecting", "running", "reconnecting");

  @TempDir static Path dir;
  private static byte[] stream;
  private static ServerProcess server;
  private static int port;
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws Exception {
    stream = Files.readAllBytes(TestVideos.encode(dir.resolve("camera.ts"), "mpegts", avcodec.AV_CODEC_ID_H264,
        avutil.AV_PIX_FMT_YUV420P, 50, 160, 120, (i, rgb, w, h) -> java.util.Arrays.fill(rgb, (byte) (i * 5))));
    // The test classpath (for ServerProcess's listening line: the server's own logback.xml, not the tests').
    server = ServerProcess.start(ServerProcess.java("-cp", System.getProperty("java.class.path"),
        "-Dlogback.configurationFile=logback.xml", "-Dframewire.events.enabled=false",
        "-Dframewire.sources.reconnect.min-backoff-ms=50", "-Dframewire.sources.reconnect.max-backoff-ms=200",
        "io.framewire.App"));
    try {
      port = server.port(Duration.ofSeconds(60));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the server did not start:\n" + Answers.clip(server.output()), e);
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aCameraSendingACorruptedStreamReconnectsAndTheServerLives() {
    AtomicInteger ids = new AtomicInteger();
    Fuzz.check("camera-corrupt", 4, Gen.longs(), (seed, stats) -> {
      String id = "cam" + ids.incrementAndGet();
      try (CorruptCamera camera = new CorruptCamera(seed)) {
        HttpResponse<String> created = send("POST", "/sources", "{\"id\":\"" + id + "\",\"url\":\"tcp://127.0.0.1:"
            + camera.port() + "\",\"pipeline_id\":\"motion\"}");
        assertEquals(201, created.statusCode(), created.body());
        TestServer.await(() -> "4 connections of the camera (served " + camera.served.get() + ")",
            Duration.ofSeconds(60), () -> camera.served.get() >= 4);
        JsonNode status = Answers.JSON.readTree(send("GET", "/sources/" + id, null).body());
        stats.collect("state", status.get("state").asText());
        stats.collect("last_error", status.get("last_error").asText().replaceAll("\\d+", "N"));
        assertTrue(LIVE_STATES.contains(status.get("state").asText()), status.toString());
        Answers.assertNoLeak("source status", status.toString());
        assertTrue(server.process().isAlive(), "the server process died:\n" + Answers.clip(server.output()));
        assertEquals(200, send("GET", "/health", null).statusCode());
        assertEquals(204, send("DELETE", "/sources/" + id, null).statusCode());
      }
    });
    assertTrue(server.process().isAlive(), "the server process died:\n" + Answers.clip(server.output()));
  }

  /** A "camera" on a free port: each connection gets the stream corrupted anew (past its first 2 KiB), then EOF. */
  private static final class CorruptCamera implements AutoCloseable {
    final AtomicInteger served = new AtomicInteger();
    private final ServerSocket socket;
    private final Thread thread;

    CorruptCamera(long seed) throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      thread = new Thread(() -> {
        SplittableRandom random = new SplittableRandom(seed);
        while (!socket.isClosed()) {
          try (Socket connection = socket.accept()) {
            byte[] head = java.util.Arrays.copyOf(stream, 2048);
            byte[] tail = VideoFuzzTest.mutate(java.util.Arrays.copyOfRange(stream, 2048, stream.length), random.split());
            OutputStream out = connection.getOutputStream();
            out.write(head);
            out.write(tail);
            out.flush();
          } catch (IOException e) {
            // the decoder hung up first, or the camera is closing
          }
          served.incrementAndGet();
        }
      }, "corrupt-camera");
      thread.setDaemon(true);
      thread.start();
    }

    int port() {
      return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(15))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
