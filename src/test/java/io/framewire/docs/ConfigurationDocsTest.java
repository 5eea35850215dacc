package io.framewire.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md stays true: every framewire setting of reference.conf (the defaults) has an
 * environment override in application.conf (the operator's file), and a row in the docs naming the
 * setting, that variable and the default reference.conf gives; every other {@code ${?VAR}} of
 * application.conf has its row too.
 */
class ConfigurationDocsTest {

  private static final Pattern ENV_OVERRIDE = Pattern.compile("^\\s*([\\w.\"-]+)\\s*=\\s*\\$\\{\\?(\\w+)}\\s*$");
  private static final Pattern BLOCK = Pattern.compile("^\\s*([\\w.\"-]+)\\s*\\{\\s*$");
  private static final Pattern CODE = Pattern.compile("`([^`]*)`");

  /** A row of a settings table: the settings it names, its env cell and its default cell. */
  record Row(List<String> settings, String env, String defaultCell) {}

  @Test
  void everySettingAndVariableIsDocumentedWithItsDefault() throws IOException {
    Config reference = ConfigFactory.parseFile(Path.of("src/main/resources/reference.conf").toFile()).resolve();
    Map<String, String> overrides = envOverrides(Files.readAllLines(Path.of("application.conf")));
    List<Row> rows = rows(Files.readAllLines(Path.of("docs/configuration.md")));
    List<String> problems = new ArrayList<>();

    for (var entry : new TreeSet<>(reference.getConfig("framewire").entrySet().stream()
        .map(e -> "framewire." + e.getKey()).toList())) {
      String env = overrides.get(entry);
      if (env == null) {
        problems.add(entry + ": no ${?VAR} override in application.conf");
        continue;
      }
      Optional<Row> row = row(rows, entry);
      if (row.isEmpty()) {
        problems.add(entry + ": no row in docs/configuration.md");
        continue;
      }
      if (!row.get().env().equals(env)) {
        problems.add(entry + ": documented with " + row.get().env() + ", application.conf reads " + env);
      }
      String defaultProblem = defaultMismatch(reference, entry, row.get().defaultCell());
      if (defaultProblem != null) {
        problems.add(entry + ": " + defaultProblem);
      }
    }
    overrides.forEach((setting, env) -> {
      Optional<Row> row = row(rows, setting);
      if (row.isEmpty() || !row.get().env().equals(env)) {
        problems.add(setting + " (" + env + "): no row in docs/configuration.md with that variable");
      }
    });
    if (!problems.isEmpty()) {
      fail(String.join("\n", problems));
    }
    assertTrue(overrides.size() > 60, "the parser found the overrides: " + overrides.size());
  }

  /** The documented default against reference.conf's; an empty default is documented in words. */
  private static String defaultMismatch(Config reference, String setting, String cell) {
    String value = reference.getValue(setting).valueType() == ConfigValueType.STRING
        ? reference.getString(setting) : reference.getValue(setting).unwrapped().toString();
    Matcher code = CODE.matcher(cell);
    if (value.isEmpty()) {
      return code.find() ? "documented default " + cell + ", reference.conf has none" : null;
    }
    if (!code.find()) {
      return "no default documented, reference.conf has " + value;
    }
    String documented = code.group(1);
    if (documented.equals(value)) {
      return null;
    }
    try {
      if (Double.parseDouble(documented) == Double.parseDouble(value)) {
        return null;
      }
    } catch (NumberFormatException notNumbers) {
      // below
    }
    return "documented default " + documented + ", reference.conf has " + value;
  }

  private static Optional<Row> row(List<Row> rows, String setting) {
    return rows.stream().filter(r -> r.settings().contains(setting)).findFirst();
  }

  /** {@code setting path -> VAR} for every {@code key = ${?VAR}} line, nested blocks followed. */
  static Map<String, String> envOverrides(List<String> lines) {
    Map<String, String> overrides = new LinkedHashMap<>();
    Deque<String> path = new ArrayDeque<>();
    for (String line : lines) {
      String text = line.strip();
      if (text.startsWith("#")) {
        continue;
      }
      Matcher block = BLOCK.matcher(line);
      Matcher override = ENV_OVERRIDE.matcher(line);
      if (block.matches()) {
        path.addLast(block.group(1).replace("\"", ""));
      } else if (text.equals("}")) {
        path.removeLast();
      } else if (override.matches()) {
        List<String> parts = new ArrayList<>(path);
        parts.add(override.group(1).replace("\"", ""));
        overrides.put(String.join(".", parts), override.group(2));
      }
    }
    assertEquals(0, path.size(), "application.conf's braces balance");
    return overrides;
  }

  /** The rows of the docs' settings tables: {@code | `setting` | `ENV` | default | meaning |}. */
  static List<Row> rows(List<String> lines) {
    List<Row> rows = new ArrayList<>();
    for (String line : lines) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("\\|");
      if (cells.length < 4) {
        continue;
      }
      List<String> settings = new ArrayList<>();
      Matcher code = CODE.matcher(cells[1]);
      while (code.find()) {
        settings.add(code.group(1));
      }
      rows.add(new Row(settings, cells[2].strip().replace("`", ""), cells[3].strip()));
    }
    return rows;
  }
}
