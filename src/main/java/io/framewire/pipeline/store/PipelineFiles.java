package io.framewire.pipeline.store;

import io.framewire.pipeline.CompiledPipeline;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.PipelineValidationException;
import io.framewire.pipeline.PipelineValidator;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.pipeline.store.PipelineRegistry.Origin;
import io.framewire.pipeline.store.PipelineRegistry.Slot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipelines directory ({@code PIPELINES_DIR}) as the registry last applied it: which file
 * defines which pipeline, which files are invalid now; atomic writes of the API's pipelines, and the
 * hot-reload differ ({@link #rescan}) that brings the registry in line with the files.
 *
 * <p>Not thread-safe: every method runs under the registry's lock, and changes to the registry go
 * through {@link Pipelines}, so that listeners hear them in order.
 */
final class PipelineFiles {

  /** A pipeline file larger than this is not read by the watcher (a definition is a few KB). */
  static final long MAX_FILE_BYTES = 1 << 20;
  private static final Logger log = LoggerFactory.getLogger(PipelineFiles.class);

  /** A file of the directory as last applied: the id it defined (null: none yet) and its content. */
  record FileState(String id, String content) {}

  /** The registry as the directory sees it: read a slot, install or remove one (and tell listeners). */
  interface Pipelines {
    Slot get(String id);

    void apply(String id, Slot current);
  }

  private final Path dir;
  private final ToolRegistry tools;
  private final Map<String, FileState> files = new HashMap<>(); // by file name
  private final Map<String, List<String>> errors = new TreeMap<>(); // by file name

  PipelineFiles(Path dir, ToolRegistry tools, Map<String, FileState> loaded) {
    this.dir = dir;
    this.tools = tools;
    this.files.putAll(loaded);
  }

  Path directory() {
    return dir;
  }

  /** Files that are invalid now, with their errors. */
  Map<String, List<String>> errors() {
    return Map.copyOf(errors);
  }

  /** Writes {@code compiled} to the file of the version it replaces, or a new file; returns that file. */
  Path write(CompiledPipeline compiled, Slot previous) {
    Path file = previous != null && previous.file() != null ? previous.file() : fileFor(compiled.id());
    String content = PipelineJson.writePretty(compiled.definition);
    writeAtomically(file, content);
    files.put(file.getFileName().toString(), new FileState(compiled.id(), content));
    errors.remove(file.getFileName().toString());
    return file;
  }

  /** Deletes a pipeline's file. */
  void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
    }
    files.remove(file.getFileName().toString());
    errors.remove(file.getFileName().toString());
  }

  /**
   * {@code <id>.json}, unless that name holds another pipeline: then {@code <id>-2.json}, … An invalid
   * file that defines nothing yet is taken over: the API's valid version replaces it.
   */
  private Path fileFor(String id) {
    for (int n = 1; ; n++) {
      String name = n == 1 ? id + ".json" : id + "-" + n + ".json";
      FileState state = files.get(name);
      if (state == null ? !Files.exists(dir.resolve(name)) : state.id() == null || state.id().equals(id)) {
        return dir.resolve(name);
      }
    }
  }

  /** Write, then rename: a reader (the watcher, another node) never sees half a file. */
  private static void writeAtomically(Path file, String content) {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // the write already failed; that is the error to report
      }
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  static boolean isPipelineFile(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".json") && !name.startsWith(".") && Files.isRegularFile(file);
  }

  /**
   * Brings the registry in line with the directory's {@code *.json} files: new and changed files are
   * loaded (a valid one replaces the version it defined before), removed files remove their pipeline.
   * An invalid file is logged with every error and changes nothing. Files whose content did not
   * change since they were last applied are skipped, so the API's own writes are no-ops here.
   */
  void rescan(Pipelines pipelines) {
    Map<String, String> present = new TreeMap<>();
    Set<String> tooLarge = new HashSet<>();
    try (Stream<Path> listing = Files.list(dir)) {
      for (Path file : listing.filter(PipelineFiles::isPipelineFile).toList()) {
        try {
          if (Files.size(file) > MAX_FILE_BYTES) {
            // Treated as an invalid file: reported, and whatever it defined before stays.
            String name = file.getFileName().toString();
            tooLarge.add(name);
            errors.put(name, List.of("file is larger than " + MAX_FILE_BYTES + " bytes"));
            log.warn("pipelines directory: {} is larger than {} bytes; not read", file, MAX_FILE_BYTES);
            continue;
          }
          present.put(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException | UncheckedIOException e) {
          // Removed between listing and reading, or unreadable: the next event rescans.
          log.warn("pipelines directory: cannot read {}: {}", file, e.getMessage());
        }
      }
    } catch (IOException | UncheckedIOException e) {
      log.warn("pipelines directory: cannot list {}: {}", dir, e.getMessage());
      return;
    }
    for (String name : new ArrayList<>(files.keySet())) {
      if (!present.containsKey(name) && !tooLarge.contains(name)) {
        FileState gone = files.remove(name);
        errors.remove(name);
        Slot slot = gone.id() == null ? null : pipelines.get(gone.id());
        if (slot != null && slot.origin() == Origin.FILE && dir.resolve(name).equals(slot.file())) {
          log.info("pipelines directory: {} removed; pipeline '{}' removed", name, gone.id());
          pipelines.apply(gone.id(), null);
        }
      }
    }
    present.forEach((name, content) -> {
      FileState known = files.get(name);
      if (known == null || !known.content().equals(content)) {
        reload(pipelines, dir.resolve(name), content, known);
      } else if (errors.getOrDefault(name, List.of()).stream().anyMatch(e -> e.startsWith("file is larger"))) {
        errors.remove(name); // back to the content last applied
      }
    });
  }

  private void reload(Pipelines pipelines, Path file, String content, FileState known) {
    String name = file.getFileName().toString();
    String previousId = known == null ? null : known.id();
    List<String> problems = new ArrayList<>();
    CompiledPipeline compiled = null;
    try {
      PipelineDefinition definition = PipelineJson.read(content);
      compiled = PipelineValidator.compile(definition, tools);
      Slot taken = pipelines.get(compiled.id());
      if (taken != null && !file.equals(taken.file())) {
        problems.add(taken.origin() == Origin.BUILTIN
            ? "pipeline id '" + compiled.id() + "' is built in and cannot be replaced"
            : "duplicate pipeline id '" + compiled.id() + "' (already defined in "
                + (taken.file() == null ? "memory" : taken.file().getFileName()) + ")");
      }
    } catch (PipelineValidationException e) {
      problems.addAll(e.errors());
    }
    if (!problems.isEmpty()) {
      // Remember the content so the same broken file is not logged again; keep the id it served.
      files.put(name, new FileState(previousId, content));
      errors.put(name, List.copyOf(problems));
      log.warn("pipelines directory: {} is invalid, {}: {}", file,
          previousId == null ? "not loaded" : "pipeline '" + previousId + "' keeps its previous version",
          String.join("; ", problems));
      return;
    }
    files.put(name, new FileState(compiled.id(), content));
    errors.remove(name);
    if (previousId != null && !previousId.equals(compiled.id())) {
      Slot old = pipelines.get(previousId);
      if (old != null && file.equals(old.file())) {
        pipelines.apply(previousId, null);
      }
    }
    Slot current = pipelines.get(compiled.id());
    if (current != null && current.compiled().definition.equals(compiled.definition)) {
      return; // same definition (e.g. written by the API): nothing to do
    }
    int version = current == null ? 1 : current.version() + 1;
    log.info("pipelines directory: {} loaded pipeline '{}' version {}", file, compiled.id(), version);
    pipelines.apply(compiled.id(), new Slot(compiled, Origin.FILE, version, file));
  }
}
