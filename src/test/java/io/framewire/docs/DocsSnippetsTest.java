package io.framewire.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docs that run: every Python and JavaScript code block in {@code docs/*.md} is a client program that
 * is run, as a user would run it, against a real server on 127.0.0.1.
 *
 * <p>The convention (also stated in docs/client.md):
 * <ul>
 *   <li>{@code ```python}, {@code ```py}, {@code ```js} and {@code ```javascript} blocks are complete
 *       programs and are run: Python with Debian's {@code /usr/bin/python3} (which has
 *       {@code python3-websockets}), JavaScript with {@code node} as an ES module (with
 *       {@code --experimental-websocket} when this Node has no global {@code WebSocket} without it).
 *   <li>A block whose info string also says {@code fragment} (e.g. {@code ```js fragment}) is part of
 *       a program (it names things the reader supplies) and is not run. It must still parse
 *       ({@code node --check}, {@code python3 -m py_compile}), and a JavaScript fragment's
 *       {@code import … from './X.js'} lines must link against the page's modules in {@code web/}
 *       (so a renamed export breaks the build).
 *   <li>The program takes the server's URL from {@code FRAMEWIRE_URL}
 *       ({@code ws://127.0.0.1:PORT/ws/video/stream?pipeline_id=echo} here) and its frames from its
 *       arguments: Python gets the folder of {@code *.jpg} files, JavaScript the files.
 *   <li>It must exit 0 within {@link #LIMIT_SECONDS} s after printing one line per frame that starts
 *       with the frame index and holds either the frame's {@code echo} result (its byte size) or
 *       {@code dropped}, and the last frame's result (latest-frame-wins never drops the newest).
 * </ul>
 * {@code sh} blocks are commands for a person (installing packages, starting the server with a
 * model, load runs) and are not run here. Nothing but 127.0.0.1 is contacted.
 */
class DocsSnippetsTest {

  static final long LIMIT_SECONDS = 30;
  /** A fenced block, also inside a list item (indented; the indentation is removed from its lines). */
  static final Pattern BLOCK = Pattern.compile("^( *)```([^\\n`]*)\\n(.*?)^\\1```\\s*$", Pattern.DOTALL | Pattern.MULTILINE);
  static final List<String> RUN = List.of("python", "py", "js", "javascript");

  static TestServer server;
  static Path frameDir;
  static final List<Path> frames = new ArrayList<>();
  static final List<Integer> sizes = new ArrayList<>();

  record Snippet(String file, int line, String language, String code) {
    boolean python() {
      return language.startsWith("py");
    }

    @Override
    public String toString() {
      return file + ":" + line + " (" + language + ")";
    }
  }

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    server = TestServer.start();
    frameDir = Files.createDirectories(dir.resolve("frames"));
    // three distinct real JPEGs (different sizes, so each answer can be matched to its frame)
    byte[][] jpegs = {TestJpegs.withSquare(160, 120, 10, 10, 30), TestJpegs.scene(320, 240, 7), TestJpegs.noise(200, 150, 3)};
    for (int i = 0; i < jpegs.length; i++) {
      Path p = frameDir.resolve("frame" + i + ".jpg");
      Files.write(p, jpegs[i]);
      frames.add(p);
      sizes.add(jpegs[i].length);
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  static List<Snippet> snippets(boolean fragments) throws IOException {
    List<Snippet> found = new ArrayList<>();
    List<Path> docs;
    try (Stream<Path> listing = Files.list(Path.of("docs"))) {
      docs = listing.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
    for (Path doc : docs) {
      String text = Files.readString(doc);
      Matcher m = BLOCK.matcher(text);
      while (m.find()) {
        String[] info = m.group(2).trim().split("\\s+");
        String language = info[0].toLowerCase();
        boolean fragment = List.of(info).contains("fragment");
        if (RUN.contains(language) && fragment == fragments) {
          int line = (int) text.substring(0, m.start()).lines().count() + 1;
          String indent = m.group(1);
          String code = m.group(3).lines().map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
              .reduce("", (a, b) -> a + b + "\n");
          found.add(new Snippet(doc.getFileName().toString(), line, language, code));
        }
      }
    }
    return found;
  }

  @TestFactory
  Stream<DynamicTest> everyRunnableSnippetRunsAgainstARealServer() throws IOException {
    List<Snippet> snippets = snippets(false);
    // docs/client.md's two clients at least; a parser that finds nothing must not pass quietly
    assertTrue(snippets.stream().anyMatch(Snippet::python), "no Python snippet found in docs/: " + snippets);
    assertTrue(snippets.stream().anyMatch(s -> !s.python()), "no JavaScript snippet found in docs/: " + snippets);
    return snippets.stream().map(s -> DynamicTest.dynamicTest(s.toString(), () -> run(s)));
  }

  @TestFactory
  Stream<DynamicTest> everyFragmentParsesAndItsImportsLink() throws IOException {
    List<Snippet> fragments = snippets(true);
    assertFalse(fragments.isEmpty(), "no fragment found in docs/ (docs/client.md has the StreamClient one)");
    return fragments.stream().map(s -> DynamicTest.dynamicTest(s.toString(), () -> check(s)));
  }

  void check(Snippet snippet) throws Exception {
    Path dir = Files.createTempDirectory(frameDir.getParent(), "fragment");
    if (snippet.python()) {
      Path program = Files.writeString(dir.resolve("fragment.py"), snippet.code());
      expectExit0(snippet + " does not compile", dir, "/usr/bin/python3", "-m", "py_compile", program.toString());
      return;
    }
    Path program = Files.writeString(dir.resolve("fragment.mjs"), snippet.code());
    expectExit0(snippet + " does not parse", dir, "node", "--check", program.toString());
    String imports = snippet.code().lines().filter(l -> l.matches("^import .* from '\\./[\\w-]+\\.js';\\s*$"))
        .reduce("", (a, b) -> a + b + "\n");
    if (!imports.isEmpty()) {
      try (Stream<Path> web = Files.list(Path.of("src/main/resources/web"))) {
        for (Path f : web.filter(f -> f.toString().endsWith(".js") || f.endsWith("package.json")).toList()) {
          Files.copy(f, dir.resolve(f.getFileName().toString()));
        }
      }
      Path linker = Files.writeString(dir.resolve("imports.mjs"), imports);
      expectExit0(snippet + "'s imports do not link against web/", dir, "node", linker.toString());
    }
  }

  static void expectExit0(String what, Path dir, String... command) throws Exception {
    Path out = dir.resolve("check.txt");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    boolean exited = p.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly().waitFor();
    }
    assertTrue(exited && p.exitValue() == 0, what + ":\n" + Files.readString(out));
  }

  void run(Snippet snippet) throws Exception {
    Path dir = Files.createTempDirectory(frameDir.getParent(), "snippet");
    List<String> command = new ArrayList<>();
    if (snippet.python()) {
      Path program = Files.writeString(dir.resolve("client.py"), snippet.code());
      command.addAll(List.of("/usr/bin/python3", program.toString(), frameDir.toString()));
    } else {
      Path program = Files.writeString(dir.resolve("client.mjs"), snippet.code());
      command.add("node");
      if (!nodeHasWebSocket(List.of())) {
        assertTrue(nodeHasWebSocket(List.of("--experimental-websocket")),
            "this node has no global WebSocket (Node 22+, or 20.10+ with --experimental-websocket)");
        command.add("--experimental-websocket");
      }
      command.add(program.toString());
      frames.forEach(f -> command.add(f.toString()));
    }
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("output.txt").toFile());
    builder.environment().put("FRAMEWIRE_URL",
        "ws://127.0.0.1:" + server.port() + "/ws/video/stream?pipeline_id=echo");
    builder.environment().put("NO_PROXY", "*");
    builder.environment().put("PYTHONUNBUFFERED", "1"); // a client that hangs still shows what it printed
    Process process = builder.start();
    boolean exited = process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
    if (!exited) {
      process.destroyForcibly().waitFor();
    }
    String output = Files.readString(dir.resolve("output.txt"), StandardCharsets.UTF_8);
    if (!exited) {
      fail(snippet + " did not exit within " + LIMIT_SECONDS + " s after its frames; it printed:\n" + output);
    }
    assertEquals(0, process.exitValue(), snippet + " exited with " + process.exitValue() + "; it printed:\n" + output);
    List<String> answers = output.lines().filter(l -> l.matches("^\\d+ .*")).toList();
    assertEquals(frames.size(), answers.size(), snippet + ": one answer per frame expected; it printed:\n" + output);
    for (int i = 0; i < frames.size(); i++) {
      String answer = answers.get(i);
      assertTrue(answer.startsWith(i + " "), snippet + ": answers in frame order expected; it printed:\n" + output);
      boolean result = Pattern.compile("\\b" + sizes.get(i) + "\\b").matcher(answer).find();
      boolean dropped = answer.equals(i + " dropped");
      assertTrue(result || (dropped && i < frames.size() - 1),
          snippet + ": frame " + i + " (" + sizes.get(i) + " bytes) answered with neither its echo result nor"
              + " dropped (the last frame must have a result); it printed:\n" + output);
    }
    assertFalse(output.contains("Traceback"), snippet + " printed a traceback:\n" + output);
  }

  static boolean nodeHasWebSocket(List<String> flags) throws Exception {
    List<String> command = new ArrayList<>(List.of("node"));
    command.addAll(flags);
    command.addAll(List.of("-e", "process.exit(typeof WebSocket === 'function' ? 0 : 1)"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
