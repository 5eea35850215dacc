package io.framewire.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The package layer rules (docs/architecture.md) on the compiled main classes. ArchUnit reads the
 * bytecode, so a fully qualified name in the code is a dependency like an import, and a comment
 * that names a class is none.
 */
class LayerRulesTest {

  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages(Layers.ROOT);

  private static final JavaClasses TESTS = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
      .importPackages(Layers.ROOT);

  /**
   * Dependencies the table forbids that exist today, each waiting for a change in progress
   * elsewhere: "origin class -> target class" → why. Printed on every run; keep it short.
   */
  /** Dependencies the table forbids that are tolerated for now, each with why: none. */
  private static final Map<String, String> KNOWN_EXCEPTIONS = Map.of();

  @Test
  void theMainClassesWereImported() {
    assertTrue(MAIN.size() > 100, "classes read: " + MAIN.size());
    assertTrue(MAIN.stream().noneMatch(c -> TESTS.contain(c.getName())), "test classes kept out");
    if (!KNOWN_EXCEPTIONS.isEmpty()) {
      System.out.println("Layer rule exceptions, to be removed:");
      KNOWN_EXCEPTIONS.forEach((edge, why) -> System.out.println("  " + edge + "  (" + why + ")"));
    }
  }

  @Test
  void everyMainPackageIsARowOfTheLayerTable() {
    Set<String> outside = MAIN.stream().map(JavaClass::getPackageName)
        .filter(p -> Layers.rowOf(p).isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), outside, "packages missing from Layers.MAY_IMPORT");
  }

  @TestFactory
  Stream<DynamicTest> eachPackageImportsOnlyWhatTheLayerTableAllows() {
    return Layers.MAY_IMPORT.keySet().stream().map(row -> DynamicTest.dynamicTest(row, () ->
        classes().that(inRow(row)).should(dependOnlyOnAllowedRows(row))
            .allowEmptyShould(true) // a row whose package does not exist yet (settings)
            .check(MAIN)));
  }

  @Test
  void thePluginApiDependsOnNothingElseOfFramewire() {
    noClasses().that().resideInAPackage("io.framewire.api..")
        .should().dependOnClassesThat(resideInAPackage("io.framewire..")
            .and(not(resideInAPackage("io.framewire.api.."))))
        .check(MAIN);
  }

  @Test
  void nothingDependsOnBenchCliOrTheRootPackage() {
    noClasses().that().resideOutsideOfPackage("io.framewire.bench..")
        .should().dependOnClassesThat().resideInAPackage("io.framewire.bench..")
        .check(MAIN);
    noClasses().that().resideOutsideOfPackage("io.framewire.cli..")
        .should().dependOnClassesThat().resideInAPackage("io.framewire.cli..")
        .check(MAIN);
    noClasses().that().resideOutsideOfPackage(Layers.ROOT)
        .should().dependOnClassesThat().resideInAPackage(Layers.ROOT)
        .check(MAIN);
  }

  @Test
  void mainCodeDependsOnNoTestClass() {
    Set<String> testClassNames = TESTS.stream().map(JavaClass::getName).collect(Collectors.toSet());
    assertTrue(testClassNames.size() > 50, "test classes read: " + testClassNames.size());
    noClasses().should().dependOnClassesThat(DescribedPredicate.describe("are test classes",
            (JavaClass c) -> testClassNames.contains(c.getBaseComponentType().getName())))
        .check(MAIN);
  }

  /**
   * javac inlines a {@code static final} constant, so the bytecode ArchUnit reads holds no access
   * to the constant's class; it keeps the class in the constant pool, which jdeps reads. The same
   * table and exceptions, over every class-to-class edge jdeps lists.
   */
  @Test
  void noInlinedConstantHidesADependency() {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err),
        "-verbose:class", "-filter:none", Path.of("target", "classes").toString());
    assertEquals(0, rc, err.toString());
    int edges = 0;
    List<String> forbidden = new ArrayList<>();
    Set<String> stale = new TreeSet<>(KNOWN_EXCEPTIONS.keySet());
    for (String line : out.toString().split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length < 3 || !parts[1].equals("->") || !isFramewire(parts[0]) || !isFramewire(parts[2])) {
        continue;
      }
      edges++;
      String edge = parts[0] + " -> " + parts[2];
      stale.remove(edge);
      String from = Layers.rowOf(packageOf(parts[0])).orElse("(no row)");
      String to = Layers.rowOf(packageOf(parts[2])).orElse("(no row)");
      boolean allowed = MAIN.contain(parts[2]) // a main class, not test code
          && Layers.MAY_IMPORT.containsKey(from) && Layers.allows(from, to);
      if (!allowed && !KNOWN_EXCEPTIONS.containsKey(edge)) {
        forbidden.add("[" + from + " -> " + to + "] " + edge);
      }
    }
    assertTrue(edges > 500, "jdeps listed the classes' dependencies:\n" + out);
    assertEquals(List.of(), forbidden, "dependencies the layer table forbids");
    assertEquals(Set.of(), stale, "known exceptions that no longer occur: remove them");
  }

  @Test
  void packagesAreFreeOfCycles() {
    slices().matching("io.framewire.(*)..").should().beFreeOfCycles().check(MAIN);
    slices().matching("io.framewire.(**)").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void theLayerTableNamesOnlyItsOwnRowsAndHasNoCycles() {
    Layers.MAY_IMPORT.forEach((row, imports) -> imports.forEach(target -> assertTrue(
        Layers.MAY_IMPORT.containsKey(target), row + " may import " + target + ", not a row")));
    for (String row : Layers.MAY_IMPORT.keySet()) {
      assertTrue(!reaches(row, row, new TreeSet<>()), "the table has a cycle through " + row);
    }
  }

  private static boolean isFramewire(String className) {
    return className.startsWith(Layers.ROOT + ".");
  }

  private static String packageOf(String className) {
    return className.substring(0, className.lastIndexOf('.'));
  }

  private static boolean reaches(String from, String goal, Set<String> seen) {
    for (String next : Layers.MAY_IMPORT.get(from)) {
      if (next.equals(goal) || seen.add(next) && reaches(next, goal, seen)) {
        return true;
      }
    }
    return false;
  }

  private static DescribedPredicate<JavaClass> inRow(String row) {
    return DescribedPredicate.describe("are in layer-table row '" + row + "'",
        c -> Layers.rowOf(c.getPackageName()).filter(row::equals).isPresent());
  }

  private static ArchCondition<JavaClass> dependOnlyOnAllowedRows(String row) {
    List<String> allowed = Stream.concat(Stream.of(row, Layers.API),
        Layers.MAY_IMPORT.get(row).stream()).toList();
    return new ArchCondition<>("depend only on framewire packages " + allowed) {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          JavaClass target = dependency.getTargetClass().getBaseComponentType();
          if (!target.getPackageName().equals(Layers.ROOT)
              && !target.getPackageName().startsWith(Layers.ROOT + ".")) {
            continue; // the JDK and libraries
          }
          String edge = origin.getName() + " -> " + target.getName();
          String targetRow = Layers.rowOf(target.getPackageName()).orElse("(no row)");
          if (!Layers.allows(row, targetRow) && !KNOWN_EXCEPTIONS.containsKey(edge)) {
            events.add(SimpleConditionEvent.violated(dependency,
                "[" + row + " -> " + targetRow + "] " + dependency.getDescription()));
          }
        }
      }
    };
  }
}
