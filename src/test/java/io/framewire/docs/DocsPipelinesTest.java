package io.framewire.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.PipelineValidationException;
import io.framewire.pipeline.PipelineValidator;
import io.framewire.pipeline.ToolRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import io.framewire.inference.ModelRegistry;
import io.framewire.inference.OnnxPlugin;
import io.framewire.inference.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Docs that run: every JSON pipeline in {@code docs/*.md} (a {@code ```json} block whose object has
 * {@code "nodes"}) is parsed and validated against the built-in tools, so an example that would not
 * load fails the build. A block tagged {@code ```json invalid} shows a refused pipeline: it must be
 * refused, with every error message the doc quotes after it ({@code - `…`} lines) and no other.
 */
class DocsPipelinesTest {

  private static final Pattern BLOCK = Pattern.compile("```json([^\\n]*)\\n(.*?)```", Pattern.DOTALL);
  private static final Pattern QUOTED_ERROR = Pattern.compile("\\A\\s*(?:-\\s+`[^\\n]*`\\s*\\n)+");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static ModelRegistry models;
  /** The built-in tools plus the server-constructed onnx plugin, with stand-ins for the models the docs name. */
  private static ToolRegistry TOOLS;

  @BeforeAll
  static void tools(@TempDir Path modelsDir) throws Exception {
    Files.copy(TestModels.dir().resolve("yolov8_const.onnx"), modelsDir.resolve("yolov8n.onnx"));
    Files.copy(TestModels.dir().resolve("classify_means.onnx"), modelsDir.resolve("yolov8n-cls.onnx"));
    models = ModelRegistry.create(TestModels.settings(modelsDir));
    TOOLS = ToolRegistry.fromClasspath(List.of(new OnnxPlugin(models)));
  }

  @AfterAll
  static void closeModels() {
    models.close();
  }

  record Example(String file, int line, String info, String json, String after) {}

  static List<Example> examples() throws Exception {
    List<Example> found = new ArrayList<>();
    List<Path> docs;
    try (Stream<Path> listing = Files.list(Path.of("docs"))) {
      docs = listing.filter(p -> p.toString().endsWith(".md")).sorted().toList();
    }
    for (Path doc : docs) {
      String text = Files.readString(doc);
      Matcher m = BLOCK.matcher(text);
      while (m.find()) {
        JsonNode tree;
        try {
          tree = JSON.readTree(m.group(2));
        } catch (Exception e) {
          continue; // not a complete JSON document (an excerpt); not a pipeline either
        }
        if (tree != null && tree.isObject() && tree.has("nodes")) {
          int line = (int) text.substring(0, m.start()).lines().count() + 1;
          found.add(new Example(doc.getFileName().toString(), line, m.group(1).trim(), m.group(2),
              text.substring(m.end())));
        }
      }
    }
    return found;
  }

  @Test
  void everyPipelineInTheDocsLoads() throws Exception {
    List<Example> examples = examples();
    assertTrue(examples.size() >= 3, "pipelines found in docs/: " + examples.size());
    List<String> failures = new ArrayList<>();
    for (Example example : examples) {
      String where = example.file() + ":" + example.line();
      List<String> errors;
      try {
        errors = PipelineValidator.problems(PipelineJson.read(example.json()), TOOLS);
      } catch (PipelineValidationException e) {
        errors = e.errors();
      }
      if (example.info().contains("invalid")) {
        List<String> quoted = quotedErrors(example.after());
        assertFalse(quoted.isEmpty(), where + ": an invalid example must quote its errors after it");
        if (!errors.equals(quoted)) {
          failures.add(where + ": the doc quotes " + quoted + " but the validator says " + errors);
        }
      } else if (!errors.isEmpty()) {
        failures.add(where + ": " + String.join("; ", errors));
      }
    }
    assertEquals(List.of(), failures);
  }

  /** The {@code - `message`} lines right after an invalid example. */
  private static List<String> quotedErrors(String after) {
    Matcher m = QUOTED_ERROR.matcher(after);
    List<String> quoted = new ArrayList<>();
    if (m.find()) {
      Matcher item = Pattern.compile("-\\s+`([^\\n]*)`").matcher(m.group());
      while (item.find()) {
        quoted.add(item.group(1));
      }
    }
    return quoted;
  }
}
