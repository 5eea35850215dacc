package io.framewire.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestVideos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar target/framewire.jar run …} as a user runs it: the fat jar finds FFmpeg's natives,
 * stdout holds only the result lines (no log line leaks into it), and the exit status tells.
 */
class RunCommandIT {

  @TempDir Path dir;

  record Exit(int status, String out, String err) {}

  private Exit jar(String... args) throws Exception {
    Path jar = Path.of("target", "framewire.jar");
    assertTrue(Files.isRegularFile(jar), "run after mvn package");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(), "run"));
    command.addAll(List.of(args));
    Path out = dir.resolve("stdout");
    Path err = dir.resolve("stderr");
    Process process = new ProcessBuilder(command)
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the command ends");
    return new Exit(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theJarRunsAPipelineOverAFileWithOnlyResultsOnStdout() throws Exception {
    Path video = TestVideos.numberedGray(dir, 12);
    Exit exit = jar("echo", video.toString(), "--stride", "4");
    assertEquals(0, exit.status(), exit.err());
    assertEquals("""
        {"frame_index":0,"result":{"frame_index":0,"width":160,"height":120}}
        {"frame_index":4,"result":{"frame_index":4,"width":160,"height":120}}
        {"frame_index":8,"result":{"frame_index":8,"width":160,"height":120}}
        """, exit.out());
    assertEquals("", exit.err());
  }

  @Test
  void theJarExitsOneWithOneLineForAMissingFile() throws Exception {
    Exit exit = jar("motion", dir.resolve("none.mp4").toString());
    assertEquals(1, exit.status());
    assertEquals("framewire run: cannot open " + dir.resolve("none.mp4") + ": no such file\n", exit.err());
    assertEquals("", exit.out());
  }
}
