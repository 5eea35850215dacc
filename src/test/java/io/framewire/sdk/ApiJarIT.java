package io.framewire.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * {@code target/framewire-api.jar} (the plugin SDK) is exactly the package {@code io.framewire.api}
 * and self-contained: every class it references is in the jar, in the JDK, or in the two
 * dependencies its pom declares (Jackson, SLF4J). A class added
 * to the SPI that drags in a server class fails here, not in a plugin author's build.
 */
class ApiJarIT {

  private static final Path JAR = Path.of("target", "framewire-api.jar");

  @Test
  void theApiJarReferencesOnlyItselfTheJdkJacksonAndSlf4j() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "run after mvn package");
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err),
        "-verbose:class", "--multi-release", "17", JAR.toString());
    assertEquals(0, rc, err.toString());

    List<String> foreign = new ArrayList<>();
    int edges = 0;
    for (String line : out.toString().split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length < 4 || !parts[1].equals("->") || !parts[0].startsWith("io.framewire.")) {
        continue;
      }
      edges++;
      String target = parts[2];
      boolean ok = target.startsWith("java.") || target.startsWith("javax.")
          || target.startsWith("com.fasterxml.jackson.") || target.startsWith("org.slf4j.")
          || line.trim().endsWith("framewire-api.jar");
      if (!ok) {
        foreign.add(line.trim());
      }
    }
    assertTrue(edges > 20, "jdeps listed the jar's dependencies:\n" + out);
    assertEquals(List.of(), foreign, "the api jar references classes it does not hold");
  }

  @Test
  void theApiJarHoldsTheSpiTheFrameTypesAndTheResultConventionsOnly() throws Exception {
    Set<String> classes = new TreeSet<>();
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      zip.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class") && !n.contains("$"))
          .forEach(classes::add);
    }
    for (String needed : List.of("ToolPlugin", "Tool", "AsyncTool", "ParamSpec", "ParamValues", "Detection",
        "image/DecodedFrame", "image/GrayImage", "image/RgbImage", "image/InvalidImageException")) {
      assertTrue(classes.contains("io/framewire/api/" + needed + ".class"), needed + " in " + classes);
    }
    assertTrue(classes.stream().noneMatch(c -> c.contains("Registry") || c.contains("Plugin.class") && !c.endsWith("ToolPlugin.class")),
        "no server classes (registries, built-in plugins): " + classes);
  }

  /** The jar is the package: every compiled class of io.framewire.api (nested ones too), and no other. */
  @Test
  void theApiJarHoldsExactlyThePackageIoFramewireApi() throws Exception {
    Path compiled = Path.of("target", "classes");
    Set<String> apiClasses;
    try (Stream<Path> files = Files.walk(compiled.resolve("io/framewire/api"))) {
      apiClasses = files.filter(f -> f.toString().endsWith(".class"))
          .map(f -> compiled.relativize(f).toString().replace('\\', '/'))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> inJar = new TreeSet<>();
    try (ZipFile zip = new ZipFile(JAR.toFile())) {
      zip.stream().filter(e -> !e.isDirectory()).map(e -> e.getName())
          .filter(n -> !n.startsWith("META-INF/")).forEach(inJar::add);
    }
    assertTrue(apiClasses.size() > 10, "compiled api classes: " + apiClasses);
    Set<String> foreign = new TreeSet<>(inJar);
    foreign.removeAll(apiClasses);
    assertEquals(Set.of(), foreign, "entries of the api jar that are not classes of io.framewire.api");
    Set<String> missing = new TreeSet<>(apiClasses);
    missing.removeAll(inJar);
    assertEquals(Set.of(), missing, "classes of io.framewire.api missing from the api jar");
  }
}
