package io.framewire.jobs;

import io.framewire.video.VideoInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The input rule of jobs: a network URL, or a regular file inside the input directory. A path with
 * a {@code ..} segment, an absolute path elsewhere, or a symbolic link leading out is refused.
 */
final class JobInputs {

  private JobInputs() {}

  /**
   * The stored form of {@code input}: the URL, or the path relative to {@code inputDir}.
   *
   * @throws JobException 400 {@code invalid_input} naming why
   */
  static String check(String input, long maxFrames, Path inputDir) {
    if (input == null || input.isBlank()) {
      throw invalid("input is required: a file in JOBS_INPUT_DIR or an rtsp://, http:// or tcp:// URL");
    }
    if (VideoInputs.scheme(input) != null) {
      String problem = VideoInputs.problemWithLiveUrl(input);
      if (problem != null) {
        throw invalid(problem);
      }
      if (maxFrames <= 0) {
        throw invalid("a URL may be a live stream without an end: give max_frames");
      }
      return input;
    }
    Path relative = relative(input, inputDir);
    resolve(relative.toString(), inputDir); // exists, a file, inside
    return relative.toString();
  }

  /** The file of a stored relative path, checked again (it may have changed since). */
  static Path resolve(String relative, Path inputDir) {
    Path dir = inputDir.toAbsolutePath().normalize();
    Path file = dir.resolve(relative).normalize();
    try {
      Path realDir = dir.toRealPath();
      Path real = file.toRealPath();
      if (!real.startsWith(realDir)) {
        throw invalid("'" + relative + "' leads outside JOBS_INPUT_DIR");
      }
      if (!Files.isRegularFile(real)) {
        throw invalid("'" + relative + "' is not a file");
      }
      return real;
    } catch (NoSuchFileException e) {
      throw invalid("there is no file '" + relative + "' in JOBS_INPUT_DIR");
    } catch (IOException e) {
      throw invalid("'" + relative + "' cannot be read");
    }
  }

  private static Path relative(String input, Path inputDir) {
    Path path;
    try {
      path = Path.of(input);
    } catch (InvalidPathException e) {
      throw invalid("input is not a valid path");
    }
    for (Path segment : path) {
      if (segment.toString().equals("..")) {
        throw invalid("input must not contain '..'");
      }
    }
    if (!path.isAbsolute()) {
      return path.normalize();
    }
    Path dir = inputDir.toAbsolutePath().normalize();
    if (!path.normalize().startsWith(dir)) {
      throw invalid("an absolute input must be inside JOBS_INPUT_DIR");
    }
    return dir.relativize(path.normalize());
  }

  private static JobException invalid(String detail) {
    return new JobException(400, "invalid_input", detail);
  }
}
