package io.framewire.pipeline.store;

import io.framewire.pipeline.CompiledPipeline;
import io.framewire.engine.DagPipelineService;
import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.PipelineLoadException;
import io.framewire.pipeline.PipelineValidationException;
import io.framewire.pipeline.PipelineValidator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.framewire.pipeline.ToolRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The known pipelines, all valid, each with where it comes from and a version: built-ins from the
 * classpath directory {@code pipelines/} (immutable), the {@code *.json} files of an optional
 * directory ({@code PIPELINES_DIR}), and pipelines created through the API, which are written to
 * that directory (atomically: write, then rename) when there is one, else kept in memory.
 *
 * <p>Reads are lock-free (an immutable snapshot); changes are serialized under one lock and told to
 * listeners ({@link DagPipelineService}) in order, while the lock is held. A replaced pipeline gets
 * a new version; sessions opened on the old one keep it (see {@link DagPipelineService}).
 *
 * <p>Loading at startup is all-or-nothing: the first bad file stops it with a {@link
 * PipelineLoadException} naming the file, because serving with a silently missing pipeline is worse
 * than not starting. Later, {@link #rescanDirectory()} (the file watcher) is forgiving: an invalid
 * file is logged with its errors and the previous version stays in service.
 */
public final class PipelineRegistry {

  static final String CLASSPATH_DIR = "pipelines";
  /** A pipeline file larger than this is not read by the watcher (a definition is a few KB). */
  static final long MAX_FILE_BYTES = 1 << 20;
  private static final Logger log = LoggerFactory.getLogger(PipelineRegistry.class);

  /** Where a pipeline comes from. */
  public enum Source {
    /** Shipped in the jar (or given to {@link #of}): cannot be replaced or deleted. */
    @JsonProperty("builtin") BUILTIN,
    /** A file of the pipelines directory (loaded, hot-reloaded, or written by the API). */
    @JsonProperty("file") FILE,
    /** Created through the API without a pipelines directory: lost on restart. */
    @JsonProperty("memory") MEMORY
  }

  /** A registered pipeline: its definition, source, version (1, 2, … per id) and file, if any. */
  public record Entry(PipelineDefinition definition, Source source, int version, Optional<Path> file) {
    public String id() {
      return definition.id();
    }
  }

  /** What a change did: {@code previous} or {@code current} is null for a creation or a removal. */
  public record Change(String id, Slot previous, Slot current) {}

  /** One registered version. */
  public record Slot(CompiledPipeline compiled, Source source, int version, Path file) {
    Entry entry() {
      return new Entry(compiled.definition, source, version, Optional.ofNullable(file));
    }
  }

  /** A file of the directory as last applied: the id it defined (null: none yet) and its content. */
  private record FileState(String id, String content) {}

  private final ToolRegistry tools;
  private final Optional<Path> directory;
  private final Object lock = new Object();
  private volatile Map<String, Slot> pipelines; // immutable snapshot, replaced under lock
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private final Map<String, FileState> files = new HashMap<>(); // by file name; guarded by lock
  private final Map<String, List<String>> fileErrors = new TreeMap<>(); // by file name; guarded by lock
  private final AtomicLong changes = new AtomicLong();

  private PipelineRegistry(
      ToolRegistry tools, Map<String, Slot> pipelines, Optional<Path> directory, Map<String, FileState> files) {
    this.tools = tools;
    this.pipelines = Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
    this.directory = directory;
    this.files.putAll(files);
  }

  /**
   * Loads every {@code pipelines/*.json} on the classpath (directories and jars, including the
   * fat jar), in file-name order, then every {@code *.json} in {@code pipelinesDir}.
   *
   * @throws PipelineLoadException for the first file that is unreadable, malformed, invalid, or
   *     repeats a pipeline id
   */
  public static PipelineRegistry load(ToolRegistry tools, Optional<Path> pipelinesDir) {
    return load(tools, pipelinesDir, PipelineRegistry.class.getClassLoader());
  }

  /** As {@link #load(ToolRegistry, Optional)}, with built-ins from this class loader's classpath. */
  static PipelineRegistry load(
      ToolRegistry tools, Optional<Path> pipelinesDir, ClassLoader classLoader) {
    Loader loader = new Loader(tools);
    loader.loadClasspath(classLoader);
    pipelinesDir.ifPresent(loader::loadDirectory);
    return new PipelineRegistry(tools, loader.loaded, pipelinesDir, loader.files);
  }

  /**
   * Exactly these pipelines, as built-ins (for tests and embedding).
   *
   * @throws PipelineValidationException if one is invalid or two share an id
   */
  public static PipelineRegistry of(ToolRegistry tools, List<PipelineDefinition> pipelines) {
    return of(tools, pipelines, Optional.empty());
  }

  /**
   * These pipelines as built-ins, then the files of {@code pipelinesDir} (for tests and embedding).
   *
   * @throws PipelineValidationException if one of {@code pipelines} is invalid or two share an id
   * @throws PipelineLoadException for a bad file in the directory
   */
  public static PipelineRegistry of(
      ToolRegistry tools, List<PipelineDefinition> pipelines, Optional<Path> pipelinesDir) {
    Loader loader = new Loader(tools);
    for (PipelineDefinition pipeline : pipelines) {
      CompiledPipeline plan = PipelineValidator.compile(pipeline, tools);
      if (loader.loaded.putIfAbsent(plan.id(), new Slot(plan, Source.BUILTIN, 1, null)) != null) {
        throw new PipelineValidationException("duplicate pipeline id '" + plan.id() + "'");
      }
      loader.sourceById.put(plan.id(), "(built in)");
    }
    pipelinesDir.ifPresent(loader::loadDirectory);
    return new PipelineRegistry(tools, loader.loaded, pipelinesDir, loader.files);
  }

  public Optional<PipelineDefinition> get(String id) {
    return Optional.ofNullable(compiled(id)).map(p -> p.definition);
  }

  /** The registered version of {@code id}, with its source and version number. */
  public Optional<Entry> entry(String id) {
    Slot slot = id == null ? null : pipelines.get(id);
    return Optional.ofNullable(slot).map(Slot::entry);
  }

  /** All pipelines in load order (built-ins by file name, then the directory by file name, then later additions). */
  public List<PipelineDefinition> all() {
    return pipelines.values().stream().map(p -> p.compiled.definition).toList();
  }

  public List<Entry> entries() {
    return pipelines.values().stream().map(Slot::entry).toList();
  }

  /** Where created pipelines are written and files are watched; empty: pipelines created through the API live in memory. */
  public Optional<Path> directory() {
    return directory;
  }

  /** Files of the directory that are invalid now, with their errors (their previous version, if any, still serves). */
  public Map<String, List<String>> fileErrors() {
    synchronized (lock) {
      return Map.copyOf(fileErrors);
    }
  }

  /** How many changes (create, replace, delete, reload) were applied since start: for tests and the page. */
  public long changeCount() {
    return changes.get();
  }

  /** Every problem of {@code pipeline} against this registry's tools; empty if valid. */
  public List<String> problems(PipelineDefinition pipeline) {
    return PipelineValidator.problems(pipeline, tools);
  }

  /** The precomputed graph, or null for an unknown (or null) id. */
  CompiledPipeline compiled(String id) {
    Slot slot = id == null ? null : pipelines.get(id);
    return slot == null ? null : slot.compiled;
  }

  public ToolRegistry tools() {
    return tools;
  }

  /**
   * Hands {@code initial} the pipelines registered now, then adds a listener told of every later
   * change (in order, while the registry's lock is held: keep both quick); atomically, so no change
   * falls between the two.
   */
  public void subscribe(Consumer<Map<String, Slot>> initial, Consumer<Change> listener) {
    synchronized (lock) {
      initial.accept(pipelines);
      listeners.add(listener);
    }
  }

  public void unsubscribe(Consumer<Change> listener) {
    listeners.remove(listener);
  }

  /**
   * Registers a new pipeline.
   *
   * @throws PipelineValidationException listing every problem
   * @throws PipelineConflictException if the id is taken
   * @throws java.io.UncheckedIOException if it cannot be written to the directory
   */
  public Entry create(PipelineDefinition pipeline) {
    synchronized (lock) {
      CompiledPipeline compiled = PipelineValidator.compile(pipeline, tools);
      Slot existing = pipelines.get(compiled.id());
      if (existing != null) {
        throw new PipelineConflictException(existing.source == Source.BUILTIN
            ? "pipeline '" + compiled.id() + "' is built in; choose another id"
            : "pipeline '" + compiled.id() + "' already exists; PUT /pipelines/" + compiled.id() + " replaces it");
      }
      return store(compiled, null).entry();
    }
  }

  /**
   * Replaces pipeline {@code id} with {@code pipeline} (same id), or creates it.
   *
   * @return the new entry, and whether it was created
   * @throws PipelineValidationException listing every problem (including an id that differs from {@code id})
   * @throws PipelineConflictException if {@code id} is built in
   */
  public Map.Entry<Entry, Boolean> put(String id, PipelineDefinition pipeline) {
    synchronized (lock) {
      Slot existing = pipelines.get(id);
      if (existing != null && existing.source == Source.BUILTIN) {
        throw new PipelineConflictException("pipeline '" + id + "' is built in and cannot be replaced; "
            + "POST a copy under another id");
      }
      List<String> errors = new ArrayList<>();
      if (pipeline != null && !id.equals(pipeline.id())) {
        errors.add("the body's id '" + pipeline.id() + "' differs from the URL's '" + id + "'");
      }
      CompiledPipeline compiled = null;
      try {
        compiled = PipelineValidator.compile(pipeline, tools);
      } catch (PipelineValidationException e) {
        errors.addAll(e.errors());
      }
      if (!errors.isEmpty()) {
        throw new PipelineValidationException(errors);
      }
      return Map.entry(store(compiled, existing).entry(), existing == null);
    }
  }

  /**
   * Removes pipeline {@code id} (and its file). Open sessions finish on it.
   *
   * @throws UnknownPipelineException if there is none
   * @throws PipelineConflictException if it is built in
   */
  public void delete(String id) {
    synchronized (lock) {
      Slot existing = id == null ? null : pipelines.get(id);
      if (existing == null) {
        throw new UnknownPipelineException(id);
      }
      if (existing.source == Source.BUILTIN) {
        throw new PipelineConflictException("pipeline '" + id + "' is built in and cannot be deleted");
      }
      if (existing.file != null) {
        try {
          Files.deleteIfExists(existing.file);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot delete " + existing.file + ": " + e.getMessage(), e);
        }
        files.remove(existing.file.getFileName().toString());
        fileErrors.remove(existing.file.getFileName().toString());
      }
      apply(id, null);
    }
  }

  /** Writes (when there is a directory) and registers {@code compiled} as the next version after {@code previous}. */
  private Slot store(CompiledPipeline compiled, Slot previous) {
    int version = previous == null ? 1 : previous.version + 1;
    if (directory.isEmpty()) {
      return apply(compiled.id(), new Slot(compiled, Source.MEMORY, version, null));
    }
    Path file = previous != null && previous.file != null ? previous.file : fileFor(compiled.id());
    String content = PipelineJson.writePretty(compiled.definition);
    writeAtomically(file, content);
    files.put(file.getFileName().toString(), new FileState(compiled.id(), content));
    fileErrors.remove(file.getFileName().toString());
    return apply(compiled.id(), new Slot(compiled, Source.FILE, version, file));
  }

  /**
   * {@code <id>.json}, unless that name holds another pipeline: then {@code <id>-2.json}, … An invalid
   * file that defines nothing yet is taken over: the API's valid version replaces it.
   */
  private Path fileFor(String id) {
    Path dir = directory.orElseThrow();
    for (int n = 1; ; n++) {
      String name = n == 1 ? id + ".json" : id + "-" + n + ".json";
      FileState state = files.get(name);
      if (state == null ? !Files.exists(dir.resolve(name)) : state.id() == null || state.id().equals(id)) {
        return dir.resolve(name);
      }
    }
  }

  private static void writeAtomically(Path file, String content) {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.writeString(temp, content, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (java.nio.file.AtomicMoveNotSupportedException e) {
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

  /** Installs {@code current} (null: removes {@code id}) and tells the listeners. Hold the lock. */
  private Slot apply(String id, Slot current) {
    Map<String, Slot> next = new LinkedHashMap<>(pipelines);
    Slot previous = current == null ? next.remove(id) : next.put(id, current);
    pipelines = Collections.unmodifiableMap(next);
    changes.incrementAndGet();
    Change change = new Change(id, previous, current);
    for (Consumer<Change> listener : listeners) {
      listener.accept(change);
    }
    return current;
  }

  /**
   * Brings the registry in line with the directory's {@code *.json} files: new and changed files are
   * loaded (a valid one replaces the version it defined before), removed files remove their pipeline.
   * An invalid file is logged with every error and changes nothing. Files whose content did not
   * change since they were last applied are skipped, so the API's own writes are no-ops here.
   */
  public void rescanDirectory() {
    if (directory.isEmpty()) {
      return;
    }
    Path dir = directory.get();
    synchronized (lock) {
      Map<String, String> present = new TreeMap<>();
      java.util.Set<String> tooLarge = new java.util.HashSet<>();
      try (Stream<Path> listing = Files.list(dir)) {
        for (Path file : listing.filter(PipelineRegistry::isPipelineFile).toList()) {
          try {
            if (Files.size(file) > MAX_FILE_BYTES) {
              // Treated as an invalid file: reported, and whatever it defined before stays.
              String name = file.getFileName().toString();
              tooLarge.add(name);
              fileErrors.put(name, List.of("file is larger than " + MAX_FILE_BYTES + " bytes"));
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
          fileErrors.remove(name);
          Slot slot = gone.id() == null ? null : pipelines.get(gone.id());
          if (slot != null && slot.source == Source.FILE && dir.resolve(name).equals(slot.file)) {
            log.info("pipelines directory: {} removed; pipeline '{}' removed", name, gone.id());
            apply(gone.id(), null);
          }
        }
      }
      present.forEach((name, content) -> {
        FileState known = files.get(name);
        if (known == null || !known.content().equals(content)) {
          reloadFile(dir.resolve(name), content, known);
        } else if (fileErrors.getOrDefault(name, List.of()).stream().anyMatch(e -> e.startsWith("file is larger"))) {
          fileErrors.remove(name); // back to the content last applied
        }
      });
    }
  }

  private static boolean isPipelineFile(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".json") && !name.startsWith(".") && Files.isRegularFile(file);
  }

  private void reloadFile(Path file, String content, FileState known) {
    String name = file.getFileName().toString();
    String previousId = known == null ? null : known.id();
    List<String> errors = new ArrayList<>();
    CompiledPipeline compiled = null;
    try {
      PipelineDefinition definition = PipelineJson.read(content);
      compiled = PipelineValidator.compile(definition, tools);
      Slot taken = pipelines.get(compiled.id());
      if (taken != null && !file.equals(taken.file)) {
        errors.add(taken.source == Source.BUILTIN
            ? "pipeline id '" + compiled.id() + "' is built in and cannot be replaced"
            : "duplicate pipeline id '" + compiled.id() + "' (already defined in "
                + (taken.file == null ? "memory" : taken.file.getFileName()) + ")");
      }
    } catch (PipelineValidationException e) {
      errors.addAll(e.errors());
    }
    if (!errors.isEmpty()) {
      // Remember the content so the same broken file is not logged again; keep the id it served.
      files.put(name, new FileState(previousId, content));
      fileErrors.put(name, List.copyOf(errors));
      log.warn("pipelines directory: {} is invalid, {}: {}", file,
          previousId == null ? "not loaded" : "pipeline '" + previousId + "' keeps its previous version",
          String.join("; ", errors));
      return;
    }
    files.put(name, new FileState(compiled.id(), content));
    fileErrors.remove(name);
    if (previousId != null && !previousId.equals(compiled.id())) {
      Slot old = pipelines.get(previousId);
      if (old != null && file.equals(old.file)) {
        apply(previousId, null);
      }
    }
    Slot current = pipelines.get(compiled.id());
    if (current != null && current.compiled.definition.equals(compiled.definition)) {
      return; // same definition (e.g. written by the API): nothing to do
    }
    int version = current == null ? 1 : current.version + 1;
    log.info("pipelines directory: {} loaded pipeline '{}' version {}", file, compiled.id(), version);
    apply(compiled.id(), new Slot(compiled, Source.FILE, version, file));
  }

  /** Accumulates pipelines across sources so that duplicate ids are caught across files. */
  private static final class Loader {
    private final ToolRegistry tools;
    private final Map<String, Slot> loaded = new LinkedHashMap<>();
    private final Map<String, String> sourceById = new LinkedHashMap<>();
    private final Map<String, FileState> files = new HashMap<>();
    private boolean builtIn = true;

    Loader(ToolRegistry tools) {
      this.tools = tools;
    }

    void loadClasspath(ClassLoader classLoader) {
      Enumeration<URL> roots;
      try {
        roots = classLoader.getResources(CLASSPATH_DIR);
      } catch (IOException e) {
        throw new PipelineLoadException("classpath:" + CLASSPATH_DIR, "cannot list: " + e, e);
      }
      for (URL root : Collections.list(roots)) {
        switch (root.getProtocol()) {
          case "file" -> loadFileRoot(root);
          case "jar" -> loadJarRoot(root);
          default -> throw new PipelineLoadException(
              root.toString(), "unsupported classpath location for pipelines", null);
        }
      }
    }

    void loadDirectory(Path dir) {
      if (!Files.isDirectory(dir)) {
        throw new PipelineLoadException(dir.toString(), "pipelines directory not found", null);
      }
      builtIn = false;
      loadJsonFiles(dir, Path::toString);
    }

    private void loadFileRoot(URL root) {
      try {
        loadJsonFiles(Path.of(root.toURI()), Path::toString);
      } catch (URISyntaxException e) {
        throw new PipelineLoadException(root.toString(), "bad classpath URL", e);
      }
    }

    /** Built-ins inside a jar (the fat jar in production): read through a zip file system. */
    private void loadJarRoot(URL root) {
      Path jar;
      String entry;
      try {
        JarURLConnection connection = (JarURLConnection) root.openConnection();
        connection.setUseCaches(false);
        jar = Path.of(connection.getJarFileURL().toURI());
        entry = connection.getEntryName();
      } catch (IOException | URISyntaxException | RuntimeException e) {
        throw new PipelineLoadException(root.toString(), "cannot open jar: " + e.getMessage(), e);
      }
      // newFileSystem(Path) opens a private file system: no clash with one someone else opened.
      try (FileSystem zip = FileSystems.newFileSystem(jar)) {
        String jarName = jar.getFileName().toString();
        // Label as jar URLs do: framewire.jar!/pipelines/echo.json
        loadJsonFiles(zip.getPath(entry), file -> jarName + "!/" + stripLeadingSlash(file.toString()));
      } catch (IOException e) {
        throw new PipelineLoadException(jar.toString(), "cannot read jar: " + e.getMessage(), e);
      }
    }

    private static String stripLeadingSlash(String path) {
      return path.startsWith("/") ? path.substring(1) : path;
    }

    private void loadJsonFiles(Path dir, java.util.function.Function<Path, String> label) {
      List<Path> files;
      try (Stream<Path> listing = Files.list(dir)) {
        files =
            listing
                .filter(p -> p.getFileName().toString().endsWith(".json"))
                .filter(p -> !p.getFileName().toString().startsWith("."))
                .filter(Files::isRegularFile)
                .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                .toList();
      } catch (IOException | UncheckedIOException e) {
        throw new PipelineLoadException(dir.toString(), "cannot list: " + e.getMessage(), e);
      }
      for (Path file : files) {
        loadFile(file, label.apply(file));
      }
    }

    private void loadFile(Path file, String label) {
      PipelineDefinition definition;
      String content;
      try {
        content = Files.readString(file, StandardCharsets.UTF_8);
        definition = PipelineJson.read(content);
      } catch (IOException e) {
        throw new PipelineLoadException(label, "cannot read: " + e.getMessage(), e);
      } catch (PipelineValidationException e) {
        throw new PipelineLoadException(label, e.getMessage(), e);
      }
      CompiledPipeline plan;
      try {
        plan = PipelineValidator.compile(definition, tools);
      } catch (PipelineValidationException e) {
        throw new PipelineLoadException(label, e.getMessage(), e);
      }
      String earlier = sourceById.putIfAbsent(plan.id(), label);
      if (earlier != null) {
        throw new PipelineLoadException(
            label, "duplicate pipeline id '" + plan.id() + "' (already defined in " + earlier + ")", null);
      }
      loaded.put(plan.id(), new Slot(plan, builtIn ? Source.BUILTIN : Source.FILE, 1, builtIn ? null : file));
      if (!builtIn) {
        files.put(file.getFileName().toString(), new FileState(plan.id(), content));
      }
    }
  }

  @Override
  public String toString() {
    return "PipelineRegistry" + new ArrayList<>(pipelines.keySet());
  }
}
