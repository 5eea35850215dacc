package io.framewire.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Real network video servers on 127.0.0.1 for the live-source tests, from Debian packages that
 * {@code scripts/test.sh} installs: Debian's {@code ffmpeg} serving a live MPEG-TS test pattern over HTTP or
 * TCP ({@code -listen 1}: one client per server process, like a simple camera), and GStreamer's RTSP
 * server ({@code src/test/resources/media/rtsp_server.py}) serving a moving ball as RTP/JPEG.
 */
public final class StreamServers {

  private StreamServers() {}

  /** A running server process; {@link #close} (or {@link #kill}) ends it. */
  public static final class Server implements AutoCloseable {
    private final Process process;
    public final int port;
    public final String url;

    Server(Process process, int port, String url) {
      this.process = process;
      this.port = port;
      this.url = url;
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    /** Kills the server at once (SIGKILL), as a camera losing power would, and waits for it. */
    public void kill() {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void close() {
      kill();
    }
  }

  /** A port for a server started later ({@link FreePorts}). */
  public static int freePort() {
    return FreePorts.pick();
  }

  /** Live MPEG-TS (MPEG-2 video, 160x120, 25 fps, real time) at http://127.0.0.1:PORT/live.ts. */
  public static Server ffmpegHttp(int port) {
    return ffmpegHttp(port, 25);
  }

  /** The same at {@code fps} frames per second. */
  public static Server ffmpegHttp(int port, int fps) {
    String url = "http://127.0.0.1:" + port + "/live.ts";
    return ffmpeg(port, fps, url, List.of("-listen", "1", url));
  }

  /** Live MPEG-TS over plain TCP at tcp://127.0.0.1:PORT. */
  public static Server ffmpegTcp(int port) {
    String url = "tcp://127.0.0.1:" + port;
    return ffmpeg(port, 25, url, List.of(url + "?listen=1"));
  }

  private static Server ffmpeg(int port, int fps, String url, List<String> output) {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error",
        "-re", "-f", "lavfi", "-i", "testsrc=size=160x120:rate=" + fps, "-c:v", "mpeg2video", "-g", "10",
        "-f", "mpegts"));
    command.addAll(output);
    Process process = start(command);
    awaitListening(process, port);
    return new Server(process, port, url);
  }

  /** GStreamer's RTSP server: a live moving ball (RTP/JPEG, 25 fps) at rtsp://127.0.0.1:PORT/cam. */
  public static Server rtsp(int port, String size) {
    Path script = Path.of("src", "test", "resources", "media", "rtsp_server.py").toAbsolutePath();
    String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    Process process = start(List.of(python, script.toString(), Integer.toString(port), size));
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          if (line.equals("ready")) {
            ready.complete(line);
          }
        }
        ready.completeExceptionally(new IllegalStateException("the RTSP server exited before it was ready"));
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
    }, "rtsp-server-output");
    reader.setDaemon(true);
    reader.start();
    try {
      ready.get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
      throw new IllegalStateException("RTSP server did not start (python3-gi, gir1.2-gst-rtsp-server-1.0 and "
          + "gstreamer1.0-plugins-good installed?): " + e.getMessage(), e);
    }
    return new Server(process, port, "rtsp://127.0.0.1:" + port + "/cam");
  }

  private static Process start(List<String> command) {
    try {
      return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command.get(0) + " (installed by scripts/test.sh): " + e.getMessage(), e);
    }
  }

  /**
   * Waits until the port is in LISTEN state (or already serving its one client), read from
   * /proc/net/tcp: connecting to check would use up the one client an {@code -listen 1} server serves.
   */
  static void awaitListening(Process process, int port) {
    String hexPort = String.format(Locale.ROOT, ":%04X ", port);
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the stream server exited with status " + process.exitValue());
      }
      try {
        for (String line : Files.readAllLines(Path.of("/proc/net/tcp"))) {
          String[] fields = line.trim().split("\\s+");
          // LISTEN, or ESTABLISHED on the server's side: a client that keeps retrying (a source
          // reconnecting) can take the one connection between two polls, and the listener is gone.
          if (fields.length > 3 && (fields[1] + " ").endsWith(hexPort)
              && (fields[3].equals("0A") || fields[3].equals("01"))) {
            return;
          }
        }
        Thread.sleep(20);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    process.destroyForcibly();
    throw new IllegalStateException("the stream server did not listen on port " + port);
  }
}
