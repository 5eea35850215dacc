package io.framewire.eventstore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from Debian's {@code postgresql} package (scripts/test.sh
 * installs it): {@code initdb} in a temporary directory, {@code pg_ctl start} on a free port of
 * 127.0.0.1, trust authentication, one database {@code framewire}. As root (initdb refuses root) it
 * runs as the package's {@code postgres} user. {@link #close} stops it and deletes the directory.
 */
public final class TestPostgres implements AutoCloseable {

  private final Path dir;
  private final Path bin;
  private final int port;
  private final boolean asPostgresUser;

  private TestPostgres(Path dir, Path bin, int port, boolean asPostgresUser) {
    this.dir = dir;
    this.bin = bin;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** Starts a fresh server; fails (not skips) if PostgreSQL is not installed: the suite needs it. */
  public static TestPostgres start() throws IOException, InterruptedException {
    Path bin = binaries();
    boolean root = "root".equals(System.getProperty("user.name"));
    Path dir = Files.createTempDirectory("framewire-pg");
    int port = io.framewire.testing.FreePorts.pick();
    TestPostgres pg = new TestPostgres(dir, bin, port, root);
    try {
      if (root) {
        pg.run(List.of("chown", "-R", "postgres", dir.toString()), false);
        pg.run(List.of("chmod", "755", dir.toString()), false);
      }
      Path data = dir.resolve("data");
      pg.run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "framewire",
          "--auth=trust", "-E", "UTF8", "--no-sync"), true);
      pg.startServer();
      pg.run(List.of(bin.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
          "-U", "framewire", "framewire"), true);
      return pg;
    } catch (IOException | RuntimeException | InterruptedException e) {
      pg.close();
      throw e;
    }
  }

  private void startServer() throws IOException, InterruptedException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-w", "-t", "60",
        "-l", dir.resolve("log").toString(), "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start"), true);
  }

  /** Stops the server at once (connections cut, as a crash or a network loss would); {@link #restart} brings it back. */
  public void stop() throws IOException, InterruptedException {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
        "-w", "stop"), true);
  }

  /** Starts the stopped server again on the same port with the same data. */
  public void restart() throws IOException, InterruptedException {
    startServer();
  }

  private static Path binaries() {
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.naturalOrder())
          .orElseThrow(() -> new IllegalStateException("no initdb under /usr/lib/postgresql/*/bin"));
    } catch (IOException e) {
      throw new IllegalStateException("PostgreSQL is not installed (apt-get install postgresql; scripts/test.sh does)", e);
    }
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/framewire";
  }

  public String user() {
    return "framewire";
  }

  private void run(List<String> command, boolean asServerUser) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asServerUser && asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IOException(String.join(" ", full) + " failed: " + output);
    }
  }

  @Override
  public void close() {
    try {
      if (Files.exists(dir.resolve("data/postmaster.pid"))) {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate",
            "-w", "stop"), true);
      }
    } catch (IOException | InterruptedException e) {
      // Deleting the directory below is still worth it; the server dies with its files' removal.
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind
    }
  }
}
