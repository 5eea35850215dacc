package io.framewire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar framewire.jar --help} prints the usage and exits 0, an unknown argument prints it
 * and exits 2, and neither starts a server (the process ends by itself). Run as a real JVM, since
 * the point is the exit code. Should a regression start the server, it binds 127.0.0.1:0, not 8080.
 */
class AppUsageTest {

  private record Run(int exit, String out, String err) {}

  private static Run app(String... args) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), App.class.getName()));
    cmd.addAll(java.util.List.of(args));
    ProcessBuilder builder = new ProcessBuilder(cmd);
    builder.environment().put("HTTP_HOST", "127.0.0.1");
    builder.environment().put("HTTP_PORT", "0");
    Process p = builder.start();
    try {
      boolean exited = p.waitFor(30, TimeUnit.SECONDS);
      assertTrue(exited, "the process exits by itself instead of serving");
      return new Run(p.exitValue(), read(p.getInputStream()), read(p.getErrorStream()));
    } finally {
      p.destroyForcibly();
    }
  }

  private static String read(java.io.InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void helpPrintsUsageAndExitsZero() throws Exception {
    Run run = app("--help");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().startsWith("Usage: java -jar framewire.jar"), run.out());
    assertTrue(run.out().contains("HTTP_PORT=9000"), run.out());
    assertTrue(!run.out().contains("listening"), run.out());
  }

  @Test
  void anUnknownArgumentPrintsUsageAndExitsTwo() throws Exception {
    Run run = app("--port", "9000");
    assertEquals(2, run.exit(), run.out() + run.err());
    assertTrue(run.err().contains("unknown argument '--port'"), run.err());
    assertTrue(run.err().contains("Usage:"), run.err());
    assertTrue(!run.out().contains("listening"), run.out());
  }

  @Test
  void benchRunsTheLoadToolWithTheRestOfTheArguments() throws Exception {
    Run help = app("bench", "--help");
    assertEquals(0, help.exit(), help.err());
    assertTrue(help.out().startsWith("usage: bench [options]"), help.out());

    Run typo = app("bench", "--sesions", "2");
    assertEquals(2, typo.exit(), typo.out() + typo.err());
    assertTrue(typo.err().contains("bench: unknown option '--sesions'"), typo.err());
  }

  @Test
  void everyCommandNamesAPublicStaticMainTheUsageMentions() throws Exception {
    assertEquals(java.util.Set.of("run", "bench", "echo-server"), App.COMMANDS.keySet());
    for (var command : App.COMMANDS.entrySet()) {
      java.lang.reflect.Method main = Class.forName(command.getValue()).getMethod("main", String[].class);
      assertTrue(java.lang.reflect.Modifier.isStatic(main.getModifiers()), command.toString());
      assertTrue(App.USAGE.contains("framewire.jar " + command.getKey()), command.getKey());
    }
  }
}
