package io.framewire.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.ServerProcess;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.WsTestClient;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin SDK end to end, as a plugin author uses it (docs/plugins.md): {@code examples/tool-plugin}
 * is built on its own by Maven, offline, against the {@code framewire-api} the build installed in
 * pre-integration-test (its own unit tests run in that build); the server jar is started with the
 * plugin jar beside it ({@code java -cp framewire.jar:quality-gate-plugin.jar}), which also brings the
 * example's pipeline ({@code pipelines/quality_gate.json} in the plugin jar, loaded with the
 * built-ins); frames streamed over a real WebSocket come back judged by the tool.
 */
class ExamplePluginIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path temp;

  @Test
  void theExamplePluginBuildsAgainstTheApiLoadsIntoTheServerAndJudgesStreamedFrames() throws Exception {
    Path serverJar = Path.of("target", "framewire.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(serverJar), "run after mvn package");
    Path example = temp.resolve("tool-plugin");
    copyTree(Path.of("examples", "tool-plugin"), example);

    // 1. Build the example with Maven, offline: everything it needs is in the local repository
    //    after framewire's own build (same plugin versions) plus the installed framewire-api.
    Path buildLog = temp.resolve("example-build.log");
    List<String> mvn = new ArrayList<>(List.of(mavenExecutable(), "-B", "-o", "package",
        "-Dframewire.version=" + System.getProperty("framewire.version", "0.1.0-SNAPSHOT"),
        // The server's Jackson, which this build has fetched (the example's default may lag behind).
        "-Djackson.version=" + System.getProperty("framewire.jacksonVersion", "2.20.1")));
    String repo = System.getProperty("framewire.localRepository");
    if (repo != null && !repo.isBlank()) {
      mvn.add("-Dmaven.repo.local=" + repo);
    }
    Process build = new ProcessBuilder(mvn).directory(example.toFile())
        .redirectErrorStream(true).redirectOutput(buildLog.toFile()).start();
    assertTrue(build.waitFor(5, TimeUnit.MINUTES), "example build finished");
    String log = Files.readString(buildLog);
    assertEquals(0, build.exitValue(), "example build failed:\n" + log);
    assertTrue(log.contains("Tests run: 6, Failures: 0, Errors: 0"), "the example's own tests ran:\n" + log);
    Path pluginJar = example.resolve("target").resolve("quality-gate-plugin.jar");
    assertTrue(Files.isRegularFile(pluginJar), log);

    // 2. Run the server with the plugin jar next to it; the jar's pipelines/ load with the built-ins.
    try (ServerProcess server = ServerProcess.start(
        ServerProcess.java("-cp", serverJar + File.pathSeparator + pluginJar, "io.framewire.App"))) {
      int port = server.port(Duration.ofSeconds(60));

      // The plugin and its param schema are listed like a built-in one.
      String tools = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tools")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertTrue(tools.contains("\"quality\"") && tools.contains("min_sharpness"), tools);

      // 3. Stream frames through the example pipeline.
      try (WsTestClient client = WsTestClient.stream(port, "quality_gate")) {
        JsonNode sharp = quality(client.sendBinary(TestJpegs.noise(160, 120, 7)).next());
        assertEquals(true, sharp.get("ok").asBoolean(), sharp.toString());
        assertTrue(sharp.get("sharpness").asDouble() > 100, sharp.toString());

        JsonNode dark = quality(client.sendBinary(TestJpegs.grayscale(160, 120, 10)).next());
        assertEquals(false, dark.get("ok").asBoolean(), dark.toString());
        assertEquals(JSON.readTree("[\"too_dark\",\"too_blurry\"]"), dark.get("reasons"));

        JsonNode flat = quality(client.sendBinary(TestJpegs.grayscale(160, 120, 180)).next());
        assertEquals(JSON.readTree("[\"too_blurry\"]"), flat.get("reasons"), flat.toString());
        assertEquals(180, flat.get("brightness").asDouble(), 3);
      }
      server.terminate(Duration.ofSeconds(30));
    }
  }

  private static JsonNode quality(JsonNode answer) {
    JsonNode q = answer.at("/result/quality");
    assertTrue(q.isObject(), "a result with quality: " + answer);
    return q;
  }

  private static String mavenExecutable() {
    String home = System.getProperty("maven.home");
    boolean windows = System.getProperty("os.name").toLowerCase().contains("win");
    String name = windows ? "mvn.cmd" : "mvn";
    if (home != null && Files.isRegularFile(Path.of(home, "bin", name))) {
      return Path.of(home, "bin", name).toString();
    }
    return name; // from PATH
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path p : paths.sorted(Comparator.naturalOrder()).toList()) {
        Path rel = from.relativize(p);
        if (rel.startsWith("target")) {
          continue;
        }
        Path dest = to.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
