package io.framewire.pipeline;

import io.framewire.tools.ToolRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
 * The known pipelines, all valid: built-ins from the classpath directory {@code pipelines/}, then
 * the {@code *.json} files of an optional directory. Immutable once loaded.
 *
 * <p>Loading is all-or-nothing: the first bad file stops it with a {@link PipelineLoadException}
 * naming the file, because serving with a silently missing pipeline is worse than not starting.
 */
public final class PipelineRegistry {

  static final String CLASSPATH_DIR = "pipelines";

  private final ToolRegistry tools;
  private final Map<String, CompiledPipeline> pipelines;
  private final List<PipelineDefinition> all;

  private PipelineRegistry(ToolRegistry tools, Map<String, CompiledPipeline> pipelines) {
    this.tools = tools;
    this.pipelines = Collections.unmodifiableMap(pipelines);
    this.all = pipelines.values().stream().map(p -> p.definition).toList();
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
    return new PipelineRegistry(tools, loader.loaded);
  }

  /**
   * Exactly these pipelines (for tests and embedding).
   *
   * @throws PipelineValidationException if one is invalid or two share an id
   */
  public static PipelineRegistry of(ToolRegistry tools, List<PipelineDefinition> pipelines) {
    Map<String, CompiledPipeline> compiled = new LinkedHashMap<>();
    for (PipelineDefinition pipeline : pipelines) {
      CompiledPipeline plan = PipelineValidator.compile(pipeline, tools);
      if (compiled.putIfAbsent(plan.id(), plan) != null) {
        throw new PipelineValidationException("duplicate pipeline id '" + plan.id() + "'");
      }
    }
    return new PipelineRegistry(tools, compiled);
  }

  public Optional<PipelineDefinition> get(String id) {
    return Optional.ofNullable(compiled(id)).map(p -> p.definition);
  }

  /** All pipelines in load order (built-ins by file name, then the directory by file name). */
  public List<PipelineDefinition> all() {
    return all;
  }

  /** The precomputed graph, or null for an unknown (or null) id. */
  CompiledPipeline compiled(String id) {
    return id == null ? null : pipelines.get(id);
  }

  ToolRegistry tools() {
    return tools;
  }

  /** Accumulates pipelines across sources so that duplicate ids are caught across files. */
  private static final class Loader {
    private final ToolRegistry tools;
    private final Map<String, CompiledPipeline> loaded = new LinkedHashMap<>();
    private final Map<String, String> sourceById = new LinkedHashMap<>();

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
      try (InputStream in = Files.newInputStream(file)) {
        definition = PipelineJson.read(in);
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
      loaded.put(plan.id(), plan);
    }
  }

  @Override
  public String toString() {
    return "PipelineRegistry" + new ArrayList<>(pipelines.keySet());
  }
}
