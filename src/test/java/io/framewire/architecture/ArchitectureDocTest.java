package io.framewire.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/architecture.md says what the layer rules say: its table "package | may import" is {@link
 * Layers#MAY_IMPORT} both ways, its picture puts every package below each one that may import it,
 * and its package list names every row.
 */
class ArchitectureDocTest {

  private static final Path PAGE = Path.of("docs", "architecture.md");
  private static final Pattern CODE = Pattern.compile("`([^`]+)`");

  @Test
  void thePagesTableIsTheLayerTable() throws IOException {
    Map<String, Set<String>> page = tableOf(Files.readAllLines(PAGE));
    assertEquals(new TreeSet<>(Layers.MAY_IMPORT.keySet()), new TreeSet<>(page.keySet()),
        "the page's rows and the rules' rows");
    List<String> differences = new ArrayList<>();
    Layers.MAY_IMPORT.forEach((row, allowed) -> {
      for (String target : page.get(row)) {
        if (!allowed.contains(target)) {
          differences.add("the page lets " + row + " import " + target + ", the rules forbid it");
        }
      }
      for (String target : allowed) {
        if (!page.get(row).contains(target)) {
          differences.add("the rules let " + row + " import " + target + ", the page misses it");
        }
      }
    });
    assertEquals(List.of(), differences);
  }

  @Test
  void thePicturePutsEveryImportBelowItsImporter() throws IOException {
    List<String> lines = Files.readAllLines(PAGE);
    int start = lines.indexOf("## Layers");
    assertTrue(start >= 0, "a section '## Layers'");
    int open = indexOf(lines, "```text", start);
    int close = indexOf(lines, "```", open + 1);
    Map<String, Integer> level = new HashMap<>();
    List<String> repeated = new ArrayList<>();
    for (int i = open + 1; i < close; i++) {
      for (String token : lines.get(i).trim().split("\\s+")) {
        if (Layers.MAY_IMPORT.containsKey(token) && level.put(token, i) != null) {
          repeated.add(token);
        }
      }
    }
    assertEquals(List.of(), repeated, "packages drawn twice");
    assertEquals(new TreeSet<>(Layers.MAY_IMPORT.keySet()), new TreeSet<>(level.keySet()),
        "the picture draws every row of the table");
    List<String> upward = new ArrayList<>();
    Layers.MAY_IMPORT.forEach((row, allowed) -> {
      List<String> targets = new ArrayList<>(allowed);
      if (!row.equals(Layers.API)) {
        targets.add(Layers.API);
      }
      for (String target : targets) {
        if (level.get(target) <= level.get(row)) {
          upward.add(row + " may import " + target + ", drawn on the same line or above it");
        }
      }
    });
    assertEquals(List.of(), upward);
  }

  @Test
  void thePackageListNamesEveryRow() throws IOException {
    List<String> lines = Files.readAllLines(PAGE);
    int start = lines.indexOf("## Packages");
    assertTrue(start >= 0, "a section '## Packages'");
    Set<String> listed = new TreeSet<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      Matcher first = CODE.matcher(lines.get(i));
      if (lines.get(i).startsWith("- ") && first.find()) {
        listed.add(first.group(1));
      }
    }
    assertEquals(new TreeSet<>(Layers.MAY_IMPORT.keySet()), listed,
        "each package of the table has one '- `name`' line under '## Packages'");
  }

  /** The rows of the table whose header starts with "| package | may import". */
  private static Map<String, Set<String>> tableOf(List<String> lines) {
    int header = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("| package | may import")) {
        header = i;
      }
    }
    assertTrue(header >= 0, "a table '| package | may import'");
    Map<String, Set<String>> table = new LinkedHashMap<>();
    for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
      String[] cells = lines.get(i).split("\\|");
      Matcher name = CODE.matcher(cells[1]);
      assertTrue(name.find(), "a package name in " + lines.get(i));
      Set<String> imports = new TreeSet<>();
      Matcher target = CODE.matcher(cells[2]);
      while (target.find()) {
        imports.add(target.group(1));
      }
      assertTrue(table.put(name.group(1), imports) == null, "one row for " + name.group(1));
    }
    return table;
  }

  private static int indexOf(List<String> lines, String line, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).equals(line)) {
        return i;
      }
    }
    throw new AssertionError("no line '" + line + "' after line " + from + " of " + PAGE);
  }
}
