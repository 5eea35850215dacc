package io.framewire.pipeline.store;

import io.framewire.pipeline.CompiledPipeline;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.PipelineLoadException;
import io.framewire.pipeline.PipelineValidationException;
import io.framewire.pipeline.PipelineValidator;
import io.framewire.pipeline.ToolRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads pipelines at startup, all or nothing: the built-ins of the classpath directory {@code
 * pipelines/} (directories and jars, the fat jar included) and the {@code *.json} files of the
 * pipelines directory, each in file-name order. Accumulates across sources so that a repeated id is
 * caught across files; the first bad file stops the load with a {@link PipelineLoadException}.
 */
final class PipelineLoader {
  private final ToolRegistry tools;
  final Map<String, PipelineRegistry.Slot> loaded = new LinkedHashMap<>();
  final Map<String, String> sourceById = new LinkedHashMap<>();
  final Map<String, PipelineFiles.FileState> files = new HashMap<>();
  private boolean builtIn = true;

  PipelineLoader(ToolRegistry tools) {
    this.tools = tools;
  }

  void loadClasspath(ClassLoader classLoader) {
    Enumeration<URL> roots;
    try {
      roots = classLoader.getResources(PipelineRegistry.CLASSPATH_DIR);
    } catch (IOException e) {
      throw new PipelineLoadException("classpath:" + PipelineRegistry.CLASSPATH_DIR, "cannot list: " + e, e);
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

  /**
   * Adds {@code pipelines} as built-ins (given in code: tests, embedding).
   *
   * @throws PipelineValidationException if one is invalid or repeats an id loaded before
   */
  void loadBuiltIns(List<PipelineDefinition> pipelines) {
    for (PipelineDefinition pipeline : pipelines) {
      CompiledPipeline plan = PipelineValidator.compile(pipeline, tools);
      if (loaded.putIfAbsent(plan.id(),
          new PipelineRegistry.Slot(plan, PipelineRegistry.Origin.BUILTIN, 1, null)) != null) {
        throw new PipelineValidationException("duplicate pipeline id '" + plan.id() + "'");
      }
      sourceById.put(plan.id(), "(built in)");
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

  /**
   * Built-ins inside a jar (the fat jar in production), read with {@link JarFile}: it shares the
   * class loader's open copy of the jar's central directory, where a zip file system would read and
   * index all of it again (tens of thousands of entries, a noticeable part of a {@code run}'s start).
   */
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
    String prefix = entry.endsWith("/") ? entry : entry + "/";
    String jarName = jar.getFileName().toString();
    try (JarFile file = new JarFile(jar.toFile())) {
      List<JarEntry> jsons = file.stream()
          .filter(e -> !e.isDirectory() && e.getName().startsWith(prefix))
          .filter(e -> {
            String name = e.getName().substring(prefix.length());
            return name.indexOf('/') < 0 && name.endsWith(".json") && !name.startsWith(".");
          })
          .sorted(Comparator.comparing(JarEntry::getName))
          .toList();
      for (JarEntry json : jsons) {
        String label = jarName + "!/" + json.getName(); // as jar URLs do: framewire.jar!/pipelines/echo.json
        String content;
        try (InputStream in = file.getInputStream(json)) {
          content = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        loadContent(content, label, null);
      }
    } catch (IOException e) {
      throw new PipelineLoadException(jar.toString(), "cannot read jar: " + e.getMessage(), e);
    }
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
    String content;
    try {
      content = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PipelineLoadException(label, "cannot read: " + e.getMessage(), e);
    }
    loadContent(content, label, file);
  }

  /** @param file the file it came from, or null (a jar entry: always a built-in) */
  private void loadContent(String content, String label, Path file) {
    PipelineDefinition definition;
    try {
      definition = PipelineJson.read(content);
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
    loaded.put(plan.id(), new PipelineRegistry.Slot(plan, builtIn ? PipelineRegistry.Origin.BUILTIN : PipelineRegistry.Origin.FILE, 1, builtIn ? null : file));
    if (!builtIn) {
      files.put(file.getFileName().toString(), new PipelineFiles.FileState(plan.id(), content));
    }
  }
}
