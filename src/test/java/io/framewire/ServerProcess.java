package io.framewire;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A framewire server in a JVM of its own, for the tests that run the packaged jar as a user does:
 * its output (stdout and stderr) is read line by line into {@link #output()}, and its HTTP port is
 * taken from its {@code listening on http://host:port/} log line. {@link #close()} kills it if it is
 * still running.
 */
public final class ServerProcess implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)/");

  private final Process process;
  private final Thread reader;
  private final CompletableFuture<String> listening = new CompletableFuture<>();
  private final StringBuffer output = new StringBuffer();

  /** {@code java ARGS} with this test's JDK, listening on 127.0.0.1 on a free port. */
  public static ProcessBuilder java(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    System.arraycopy(args, 0, command, 1, args.length);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("HTTP_HOST", "127.0.0.1");
    builder.environment().put("HTTP_PORT", "0");
    return builder;
  }

  /** Starts {@code builder} (its error stream merged into its output) and starts reading its output. */
  public static ServerProcess start(ProcessBuilder builder) throws IOException {
    return new ServerProcess(builder.redirectErrorStream(true).start());
  }

  private ServerProcess(Process process) {
    this.process = process;
    this.reader = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          output.append(line).append('\n');
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            listening.complete(line);
          }
        }
      } catch (IOException e) {
        listening.completeExceptionally(e);
      }
      listening.completeExceptionally(new IllegalStateException("the server exited before listening:\n" + output));
    }, "server-process-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** The HTTP port, once the server logged that it listens. */
  public int port(Duration timeout) throws Exception {
    Matcher m = LISTENING.matcher(listeningLine(timeout));
    if (!m.find()) {
      throw new IllegalStateException("unreachable: the line matched before");
    }
    return Integer.parseInt(m.group(1));
  }

  /** The whole log line that says where the server listens. */
  public String listeningLine(Duration timeout) throws Exception {
    return listening.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Everything the process has written so far. */
  public String output() {
    return output.toString();
  }

  public Process process() {
    return process;
  }

  /**
   * SIGTERM ({@code Process.destroy} would also close our end of its output), then waits for the
   * exit and for the rest of its output. @return whether it exited within {@code timeout}
   */
  public boolean terminate(Duration timeout) throws InterruptedException {
    process.toHandle().destroy();
    boolean exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (exited) {
      reader.join(10_000);
    }
    return exited;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
