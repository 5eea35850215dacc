package io.framewire.pipeline.store;

import io.framewire.pipeline.CompiledPipeline;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineLoadException;
import io.framewire.pipeline.PipelineValidationException;
import io.framewire.pipeline.PipelineValidator;
import io.framewire.pipeline.UnknownPipelineException;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.framewire.pipeline.ToolRegistry;
import java.io.UncheckedIOException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The known pipelines, all valid, each with where it comes from and a version: built-ins from the
 * classpath directory {@code pipelines/} (immutable), the {@code *.json} files of an optional
 * directory ({@code PIPELINES_DIR}), and pipelines created through the API, which are written to
 * that directory (atomically: write, then rename) when there is one, else kept in memory.
 *
 * <p>Reads are lock-free (an immutable snapshot); changes are serialized under one lock and told to
 * listeners (the engine's DAG service) in order, while the lock is held. A replaced pipeline gets a
 * new version; sessions opened on the old one keep it. Loading is {@link PipelineLoader}'s job, the
 * directory's files and hot reload {@link PipelineFiles}'s.
 *
 * <p>Loading at startup is all-or-nothing: the first bad file stops it with a {@link
 * PipelineLoadException} naming the file, because serving with a silently missing pipeline is worse
 * than not starting. Later, {@link #rescanDirectory()} (the file watcher) is forgiving: an invalid
 * file is logged with its errors and the previous version stays in service.
 *
 * <p>On a cluster node the registry is {@linkplain #share shared}: each change made through the API
 * here is handed to the cluster (which replicates it), and the other nodes' changes come back
 * through {@link #applyShared}, stored as if made here. Files of the directory stay this node's.
 */
public final class PipelineRegistry {

  private static final Logger log = LoggerFactory.getLogger(PipelineRegistry.class);

  static final String CLASSPATH_DIR = "pipelines";

  /** Where a pipeline comes from (in JSON answers: {@code "source"}). */
  public enum Origin {
    /** Shipped in the jar (or given to {@link #of}): cannot be replaced or deleted. */
    @JsonProperty("builtin") BUILTIN,
    /** A file of the pipelines directory (loaded, hot-reloaded, or written by the API). */
    @JsonProperty("file") FILE,
    /** Created through the API without a pipelines directory: lost on restart. */
    @JsonProperty("memory") MEMORY
  }

  /** A registered pipeline: its definition, origin, version (1, 2, … per id) and file, if any. */
  public record Entry(PipelineDefinition definition, Origin origin, int version, Optional<Path> file) {
    public String id() {
      return definition.id();
    }
  }

  /** What a change did: {@code previous} or {@code current} is null for a creation or a removal. */
  public record Change(String id, Slot previous, Slot current) {}

  /** One registered version. */
  public record Slot(CompiledPipeline compiled, Origin origin, int version, Path file) {
    Entry entry() {
      return new Entry(compiled.definition, origin, version, Optional.ofNullable(file));
    }
  }

  private final ToolRegistry tools;
  private final Optional<PipelineFiles> directory; // guarded by lock
  private final Object lock = new Object();
  private volatile Map<String, Slot> pipelines; // immutable snapshot, replaced under lock
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();
  private final AtomicLong changes = new AtomicLong();
  private final Map<String, Integer> removedVersions = new HashMap<>(); // guarded by lock
  private volatile Consumer<SharedPipeline> sharing; // null: a single node

  private PipelineRegistry(
      ToolRegistry tools, Map<String, Slot> pipelines, Optional<Path> directory,
      Map<String, PipelineFiles.FileState> files) {
    this.tools = tools;
    this.pipelines = Collections.unmodifiableMap(new LinkedHashMap<>(pipelines));
    this.directory = directory.map(dir -> new PipelineFiles(dir, tools, files));
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

  /**
   * As {@link #load(ToolRegistry, Optional)}, with {@code extraBuiltIns} after the classpath's
   * built-ins and before the directory's files (the engine's extra pipelines).
   *
   * @throws PipelineValidationException if one of {@code extraBuiltIns} is invalid or repeats an id
   */
  public static PipelineRegistry load(
      ToolRegistry tools, List<PipelineDefinition> extraBuiltIns, Optional<Path> pipelinesDir) {
    return load(tools, extraBuiltIns, pipelinesDir, PipelineRegistry.class.getClassLoader());
  }

  /** As {@link #load(ToolRegistry, Optional)}, with built-ins from this class loader's classpath. */
  static PipelineRegistry load(
      ToolRegistry tools, Optional<Path> pipelinesDir, ClassLoader classLoader) {
    return load(tools, List.of(), pipelinesDir, classLoader);
  }

  private static PipelineRegistry load(ToolRegistry tools, List<PipelineDefinition> extraBuiltIns,
      Optional<Path> pipelinesDir, ClassLoader classLoader) {
    PipelineLoader loader = new PipelineLoader(tools);
    loader.loadClasspath(classLoader);
    loader.loadBuiltIns(extraBuiltIns);
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
    PipelineLoader loader = new PipelineLoader(tools);
    loader.loadBuiltIns(pipelines);
    pipelinesDir.ifPresent(loader::loadDirectory);
    return new PipelineRegistry(tools, loader.loaded, pipelinesDir, loader.files);
  }

  public Optional<PipelineDefinition> get(String id) {
    return Optional.ofNullable(compiled(id)).map(p -> p.definition);
  }

  /** The registered version of {@code id}, with its origin and version number. */
  public Optional<Entry> entry(String id) {
    Slot slot = id == null ? null : pipelines.get(id);
    return Optional.ofNullable(slot).map(Slot::entry);
  }

  /** All pipelines in load order (built-ins by file name, then the directory by file name, then later additions). */
  public List<PipelineDefinition> all() {
    return pipelines.values().stream().map(p -> p.compiled().definition).toList();
  }

  public List<Entry> entries() {
    return pipelines.values().stream().map(Slot::entry).toList();
  }

  /** Where created pipelines are written and files are watched; empty: pipelines created through the API live in memory. */
  public Optional<Path> directory() {
    return directory.map(PipelineFiles::directory);
  }

  /** Files of the directory that are invalid now, with their errors (their previous version, if any, still serves). */
  public Map<String, List<String>> fileErrors() {
    synchronized (lock) {
      return directory.map(PipelineFiles::errors).orElse(Map.of());
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
    return slot == null ? null : slot.compiled();
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
        throw new PipelineConflictException(existing.origin() == Origin.BUILTIN
            ? "pipeline '" + compiled.id() + "' is built in; choose another id"
            : "pipeline '" + compiled.id() + "' already exists; PUT /pipelines/" + compiled.id() + " replaces it");
      }
      return publish(store(compiled, null)).entry();
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
      if (existing != null && existing.origin() == Origin.BUILTIN) {
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
      return Map.entry(publish(store(compiled, existing)).entry(), existing == null);
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
      if (existing.origin() == Origin.BUILTIN) {
        throw new PipelineConflictException("pipeline '" + id + "' is built in and cannot be deleted");
      }
      if (existing.file() != null) {
        directory.orElseThrow().delete(existing.file());
      }
      apply(id, null);
      Consumer<SharedPipeline> to = sharing;
      if (to != null) {
        to.accept(new SharedPipeline(id, existing.version(), null));
      }
    }
  }

  /**
   * Shares this registry with a cluster from now on: {@code to} is told of every pipeline created,
   * replaced or deleted through this registry's API (under its lock, in order: keep it quick), and
   * after a deletion versions of that id continue instead of starting again at 1, so that every
   * node can order them. Once.
   */
  public void share(Consumer<SharedPipeline> to) {
    synchronized (lock) {
      if (sharing != null) {
        throw new IllegalStateException("the registry is already shared");
      }
      sharing = to;
    }
  }

  /** Whether this registry is shared with a cluster (never without {@code CLUSTER_SEED_NODES}). */
  public boolean isShared() {
    return sharing != null;
  }

  /**
   * Applies another node's change, stored as a change made here would be (written to the directory
   * when there is one) but with that node's version, and told to the listeners, so sessions and
   * cameras move to it as on a local edit. Forgiving: a change older than what this node has (a
   * version below its own, a creation of a version it saw deleted), a built-in id, or a definition
   * this node cannot validate (a plugin it lacks) changes nothing and is logged.
   *
   * @return whether the registry changed
   */
  public boolean applyShared(SharedPipeline shared) {
    synchronized (lock) {
      String id = shared.id();
      Slot local = pipelines.get(id);
      if (local != null && local.origin() == Origin.BUILTIN) {
        log.warn("shared pipeline '{}' ignored: the id is built in here", id);
        return false;
      }
      if (shared.deleted()) {
        removedVersions.merge(id, shared.version(), Math::max);
        if (local == null || local.version() > shared.version()) {
          return false;
        }
        if (local.file() != null) {
          directory.orElseThrow().delete(local.file());
        }
        apply(id, null);
        log.info("pipeline '{}' version {} deleted by another node", id, shared.version());
        return true;
      }
      boolean stale = local == null
          ? shared.version() <= removedVersions.getOrDefault(id, 0)
          : shared.version() < local.version()
              || shared.version() == local.version() && local.compiled().definition.equals(shared.definition());
      if (stale) {
        return false;
      }
      CompiledPipeline compiled;
      try {
        compiled = PipelineValidator.compile(shared.definition(), tools);
      } catch (PipelineValidationException e) {
        log.warn("shared pipeline '{}' version {} is invalid here and not applied: {}", id, shared.version(),
            String.join("; ", e.errors()));
        return false;
      }
      Path file = directory.isEmpty() ? null : directory.get().write(compiled, local);
      apply(id, new Slot(compiled, file == null ? Origin.MEMORY : Origin.FILE, shared.version(), file));
      log.info("pipeline '{}' version {} from another node", id, shared.version());
      return true;
    }
  }

  /** Tells the cluster of a change made through the API. Hold the lock. */
  private Slot publish(Slot slot) {
    Consumer<SharedPipeline> to = sharing;
    if (to != null) {
      to.accept(new SharedPipeline(slot.compiled().id(), slot.version(), slot.compiled().definition));
    }
    return slot;
  }

  /** Writes (when there is a directory) and registers {@code compiled} as the next version after {@code previous}. */
  private Slot store(CompiledPipeline compiled, Slot previous) {
    // Shared: a version after a deletion continues after it, so the cluster can order the two.
    int version = previous != null ? previous.version() + 1
        : sharing != null ? removedVersions.getOrDefault(compiled.id(), 0) + 1 : 1;
    if (directory.isEmpty()) {
      return apply(compiled.id(), new Slot(compiled, Origin.MEMORY, version, null));
    }
    Path file = directory.get().write(compiled, previous);
    return apply(compiled.id(), new Slot(compiled, Origin.FILE, version, file));
  }

  /** Installs {@code current} (null: removes {@code id}) and tells the listeners. Hold the lock. */
  private Slot apply(String id, Slot current) {
    Map<String, Slot> next = new LinkedHashMap<>(pipelines);
    Slot previous = current == null ? next.remove(id) : next.put(id, current);
    if (current == null && previous != null) {
      removedVersions.merge(id, previous.version(), Math::max);
    }
    pipelines = Collections.unmodifiableMap(next);
    changes.incrementAndGet();
    Change change = new Change(id, previous, current);
    for (Consumer<Change> listener : listeners) {
      listener.accept(change);
    }
    return current;
  }

  /**
   * Brings the registry in line with the directory's files (the watcher calls it): see {@link
   * PipelineFiles#rescan}. Forgiving, unlike the load at startup: an invalid file is logged with its
   * errors and the previous version stays in service.
   */
  public void rescanDirectory() {
    synchronized (lock) {
      directory.ifPresent(files -> files.rescan(new PipelineFiles.Pipelines() {
        @Override
        public Slot get(String id) {
          return pipelines.get(id);
        }

        @Override
        public void apply(String id, Slot current) {
          PipelineRegistry.this.apply(id, current);
        }
      }));
    }
  }

  @Override
  public String toString() {
    return "PipelineRegistry" + new ArrayList<>(pipelines.keySet());
  }
}
