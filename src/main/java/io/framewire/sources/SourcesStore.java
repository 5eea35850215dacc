package io.framewire.sources;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * {@code sources.json} in the state directory: the live sources to start again after a restart. It
 * holds the URLs as given, credentials included, so it is written owner-read/write only (0600); it is
 * replaced atomically (write a temporary file, then rename), so a crash never leaves half a file.
 */
final class SourcesStore {

  static final String FILE = "sources.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Path file;

  SourcesStore(Path dir) {
    this.file = dir.resolve(FILE);
  }

  Path file() {
    return file;
  }

  /** The saved sources; none if the file does not exist. */
  List<SourceSpec> load() {
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      Map<String, List<SourceSpec>> saved = JSON.readValue(file.toFile(), new TypeReference<>() {});
      List<SourceSpec> sources = saved.get("sources");
      return sources == null ? List.of() : sources;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  void save(List<SourceSpec> sources) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(FILE + ".tmp");
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(tmp);
      }
      Files.write(tmp, JSON.writeValueAsBytes(Map.of("sources", sources)));
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
