package io.framewire.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;

/**
 * The load tool's entry point: {@code java -cp framewire.jar io.framewire.bench.LoadTool --help}.
 * Exits 0 on a completed run, 2 on a usage error or a refused host, 3 when a session could not
 * connect, 4 on any other failure.
 */
public final class LoadTool {

  public static final int OK = 0;
  public static final int USAGE = 2;
  public static final int CONNECT_FAILED = 3;
  public static final int FAILED = 4;

  private LoadTool() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the tool and returns its exit code; the report goes to {@code out}, the rest to {@code err}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (LoadOptions.UsageException e) {
      err.println("bench: " + e.getMessage());
      err.print(LoadOptions.usage());
      return USAGE;
    }
    if (options == null) {
      out.print(LoadOptions.usage());
      return OK;
    }
    byte[] jpeg;
    try {
      jpeg = options.jpegFile() != null
          ? Files.readAllBytes(options.jpegFile())
          : JpegGenerator.generate(options.jpegKb() * 1024);
    } catch (IOException e) {
      err.println("bench: cannot read --jpeg " + options.jpegFile() + ": " + e.getMessage());
      return USAGE;
    }
    LoadReport report;
    try {
      report = new LoadRunner(options, jpeg, err).run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("bench: interrupted");
      return FAILED;
    } catch (RuntimeException e) {
      err.println("bench: failed: " + e);
      return FAILED;
    }
    out.print(options.json() ? report.toJson() + System.lineSeparator() : report.toText());
    if (report.connectFailures() > 0) {
      err.println("bench: " + report.connectFailures() + " of " + report.sessions()
          + " session(s) could not connect: " + report.errorsByCode());
      return CONNECT_FAILED;
    }
    return OK;
  }
}
