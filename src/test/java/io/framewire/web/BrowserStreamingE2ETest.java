package io.framewire.web;

import io.framewire.settings.FramewireSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.framewire.server.FramewireServer;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, never a
 * downloaded browser) with Chromium's fake camera, against the whole framewire server started
 * in-process on 127.0.0.1 and a free port. Besides the built-in pipelines the server loads
 * {@code e2e_slow} (one {@code debug/sleep} node, 250 ms a frame) from a temporary pipelines
 * directory, as {@code PIPELINES_DIR} would: at the page's 15 fps it must drop frames and say
 * {@code slow_down}. Screenshots go to {@code target/screenshots/}.
 */
class BrowserStreamingE2ETest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  /** Server-side time of each frame of {@link #SLOW_PIPELINE}: about 4 fps sustainable. */
  private static final int SLOW_MS = 250;
  private static final String SLOW_PIPELINE = "e2e_slow";

  private static Path pipelinesDir;
  private static FramewireServer server;
  private static String base;
  private static Browser browser;
  private static ChromeDriver driver;

  @BeforeAll
  static void start() throws Exception {
    pipelinesDir = Files.createTempDirectory("framewire-e2e-pipelines-");
    Files.writeString(pipelinesDir.resolve(SLOW_PIPELINE + ".json"), """
        {"id": "%s", "name": "Slow (E2E)", "description": "debug/sleep %d ms per frame",
         "nodes": [{"id": "sleep", "plugin_id": "debug", "tool_id": "sleep", "params": {"ms": %d}}],
         "edges": [], "entry_nodes": ["sleep"], "output_nodes": ["sleep"]}
        """.formatted(SLOW_PIPELINE, SLOW_MS, SLOW_MS));
    Config config = ConfigFactory.parseMap(Map.of(
            "framewire.http.host", "127.0.0.1",
            "framewire.http.port", 0,
            "framewire.pipelines.dir", pipelinesDir.toString()))
        .withFallback(ConfigFactory.load());
    server = FramewireServer.start(FramewireSettings.from(config));
    base = "http://127.0.0.1:" + server.port();
    browser = Browser.headlessChromium("chromedriver.log");
    driver = browser.driver;
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      if (server != null) {
        server.close();
      }
      Browser.deleteTree(pipelinesDir);
    }
  }

  @Test
  void deepLinkStreamsTheCameraAndCountsResults() throws Exception {
    open("/?pipeline_id=echo&autostart=1");
    WebDriverWait wait = waiter();
    wait.until(d -> count("results-count") >= 5);

    assertEquals("open", text("status"));
    assertTrue(text("ws-url").endsWith("/ws/video/stream?pipeline_id=echo"), text("ws-url"));
    assertEquals("echo", selectedPipeline());
    assertEquals("15", text("max-fps"));
    assertTrue(pipelineOptions().containsAll(List.of("echo", SLOW_PIPELINE)), "selector lists GET /pipelines: " + pipelineOptions());
    assertTrue(text("latencies").endsWith("ms"), text("latencies"));
    assertFalse(driver.findElement(By.id("error-banner")).isDisplayed());
    screenshot("streaming-echo");
  }

  @Test
  void motionPipelineDrawsBoxesOverTheMovingFakeCamera() throws Exception {
    open("/?pipeline_id=motion&autostart=1");
    WebElement overlay = driver.findElement(By.id("overlay"));
    // Chromium's fake camera animates a rotating shape: the motion tool finds it and boxes are drawn.
    waiter().until(d -> {
      String boxes = overlay.getAttribute("data-boxes");
      return boxes != null && Integer.parseInt(boxes) >= 1;
    });
    assertTrue(Integer.parseInt(overlay.getAttribute("data-frame-index")) >= 1, "motion needs a previous frame");
    screenshot("motion-boxes");
  }

  @Test
  void slowPipelineSlowDownLowersMaxFps() throws Exception {
    open("/?pipeline_id=" + SLOW_PIPELINE + "&autostart=1");
    waiter().until(d -> count("slowdown-count") >= 1);
    double maxFps = Double.parseDouble(text("max-fps"));
    // The server advertises the rate the pipeline sustains (about 1000 / 250 ms); the page adopts it.
    assertTrue(maxFps >= 1 && maxFps <= 1000.0 / SLOW_MS, "max-fps after slow_down: " + maxFps);
    assertTrue(count("dropped-count") > 0, "a slow pipeline drops frames");
    assertEquals("open", text("status"), "a slow_down is a warning, the stream goes on");
    screenshot("slow-down");
  }

  @Test
  void unknownPipelineShowsTheBannerAndRetryReconnects() throws Exception {
    open("/?pipeline_id=no_such_pipeline&autostart=1");
    WebElement banner = driver.findElement(By.id("error-banner"));
    waiter().until(d -> banner.isDisplayed());
    assertEquals("The selected pipeline is not available.", text("error-message"));
    assertEquals("error", text("status"));
    assertEquals(0, count("results-count"));
    screenshot("invalid-pipeline");

    driver.findElement(By.id("retry-button")).click();
    waiter().until(d -> banner.isDisplayed() && "error".equals(text("status")));
    assertEquals("The selected pipeline is not available.", text("error-message"));
  }

  @Test
  void changingThePipelineReconnects() throws Exception {
    open("/?pipeline_id=echo&autostart=1");
    waiter().until(d -> count("results-count") >= 2);
    new Select(driver.findElement(By.id("pipeline-select"))).selectByValue(SLOW_PIPELINE);
    waiter().until(d -> text("ws-url").endsWith("pipeline_id=" + SLOW_PIPELINE) && "open".equals(text("status")));
    waiter().until(d -> count("dropped-count") >= 1);
    assertTrue(driver.getCurrentUrl().contains("pipeline_id=" + SLOW_PIPELINE), driver.getCurrentUrl());
  }

  @Test
  void theGraphShowsTheSelectedPipelineAndEachNodesTime() throws Exception {
    open("/?pipeline_id=motion_codes");
    WebElement graph = driver.findElement(By.id("graph"));
    waiter().until(d -> "motion_codes".equals(graph.getAttribute("data-pipeline")));
    List<String> drawn = graph.findElements(By.cssSelector("g[data-node]")).stream()
        .map(g -> g.getAttribute("data-node")).toList();
    assertEquals(List.of("decode", "motion", "codes"), drawn);
    assertEquals(2, graph.findElements(By.cssSelector("path.edge")).size());

    driver.findElement(By.id("timings-toggle")).click();
    driver.findElement(By.id("start-button")).click();
    waiter().until(d -> text("ws-url").endsWith("pipeline_id=motion_codes&timings=1"));
    // Each result's timings_ms lands on the graph: last and mean per node, the run's total below.
    waiter().until(d -> graph.findElements(By.cssSelector("g[data-node='codes'][data-last-ms]")).size() == 1
        && Integer.parseInt(graph.getAttribute("data-results")) >= 3);
    driver.findElement(By.id("start-button")).click(); // stop, so the graph stops redrawing
    // Read the drawing in one script: the graph is redrawn on every result.
    @SuppressWarnings("unchecked")
    Map<String, Object> shown = (Map<String, Object>) driver.executeScript("""
        const g = document.getElementById('graph');
        const nodes = {};
        for (const n of g.querySelectorAll('g[data-node]')) {
          nodes[n.dataset.node] = {mean: n.dataset.meanMs, text: n.querySelector('text.time')?.textContent ?? ''};
        }
        return {nodes, total: g.querySelector('text.total')?.dataset.totalMs};""");
    @SuppressWarnings("unchecked")
    Map<String, Map<String, String>> nodes = (Map<String, Map<String, String>>) shown.get("nodes");
    for (String node : drawn) {
      assertTrue(Double.parseDouble(nodes.get(node).get("mean")) >= 0, node + ": " + nodes);
      assertTrue(nodes.get(node).get("text").contains("mean"), node + ": " + nodes);
    }
    double total = Double.parseDouble(String.valueOf(shown.get("total")));
    assertTrue(total > 0, "total " + total);
    driver.executeScript("arguments[0].scrollIntoView()", graph);
    screenshot("graph-timings");
  }

  @Test
  void theEditorValidatesShowsEveryErrorAndSaves() throws Exception {
    open("/?pipeline_id=echo");
    WebElement editor = driver.findElement(By.id("editor-text"));
    waiter().until(d -> editor.getAttribute("value").replace(" ", "").contains("\"id\":\"echo\""));

    setEditorText("""
        {"id": "e2e_edited", "name": "Edited in the browser",
         "nodes": [{"id": "decode", "plugin_id": "image", "tool_id": "info"},
                   {"id": "motion", "plugin_id": "motion", "tool_id": "detect", "params": {"treshold": 30, "alpha": 5}}],
         "edges": [{"from_node": "decode", "to_node": "motion"}],
         "entry_nodes": ["decode"], "output_nodes": ["decode", "motion"]}""");
    driver.findElement(By.id("validate-button")).click();
    waiter().until(d -> editorErrors().size() == 2);
    assertEquals(List.of("node 'motion': unknown param 'treshold' (did you mean 'threshold'?)",
        "node 'motion': param 'alpha' must be in (0, 1], got 5"), editorErrors());
    assertEquals("2 problems", text("editor-status"));

    driver.findElement(By.id("save-button")).click();
    waiter().until(d -> text("editor-status").startsWith("Not saved: 2 problems"));
    assertEquals(2, editorErrors().size());

    setEditorText("""
        {"id": "e2e_edited", "name": "Edited in the browser",
         "nodes": [{"id": "decode", "plugin_id": "image", "tool_id": "info"},
                   {"id": "motion", "plugin_id": "motion", "tool_id": "detect", "params": {"threshold": 30}}],
         "edges": [{"from_node": "decode", "to_node": "motion"}],
         "entry_nodes": ["decode"], "output_nodes": ["decode", "motion"]}""");
    driver.findElement(By.id("save-button")).click();
    waiter().until(d -> text("editor-status").startsWith("Created 'e2e_edited' version 1 in e2e_edited.json"));
    assertTrue(editorErrors().isEmpty());
    // The selector lists and selects it; the graph draws it; PIPELINES_DIR holds it.
    waiter().until(d -> pipelineOptions().contains("e2e_edited")
        && "e2e_edited".equals(driver.findElement(By.id("graph")).getAttribute("data-pipeline")));
    assertEquals("e2e_edited",
        selectedPipeline());
    assertTrue(Files.exists(pipelinesDir.resolve("e2e_edited.json")));
    driver.executeScript("arguments[0].scrollIntoView()", editor);
    screenshot("editor-saved");

    // Delete takes two clicks; the pipeline and its file are gone.
    WebElement delete = driver.findElement(By.id("delete-button"));
    delete.click();
    assertEquals("Really delete?", delete.getText());
    delete.click();
    waiter().until(d -> text("editor-status").equals("Deleted 'e2e_edited'.") && !pipelineOptions().contains("e2e_edited"));
    assertFalse(Files.exists(pipelinesDir.resolve("e2e_edited.json")));

    // Built-ins cannot be replaced: the refusal is shown.
    setEditorText(editor.getAttribute("value").replace("e2e_edited", "echo"));
    driver.findElement(By.id("save-button")).click();
    waiter().until(d -> text("editor-status").contains("built in"));
  }

  @Test
  void filesChangedInThePipelinesDirectoryShowOnThePage() throws Exception {
    open("/?pipeline_id=echo");
    waiter().until(d -> "echo".equals(driver.findElement(By.id("graph")).getAttribute("data-pipeline")));
    Path broken = pipelinesDir.resolve("e2e_broken.json");
    Path added = pipelinesDir.resolve("e2e_added.json");
    try {
      Files.writeString(broken, """
          {"id": "e2e_broken", "name": "Broken", "nodes": [{"id": "e", "plugin_id": "debug", "tool_id": "ehco"}],
           "edges": [], "entry_nodes": ["e"], "output_nodes": ["e"]}""");
      waiter().until(d -> driver.findElements(By.cssSelector("#file-errors li")).stream().map(WebElement::getText)
          .anyMatch(t -> t.equals("e2e_broken.json: node 'e': unknown tool 'ehco' in plugin 'debug' "
              + "(did you mean 'echo'?); its tools: echo, event, fail, sleep, spin")));
      Files.writeString(added, """
          {"id": "e2e_added", "name": "Added", "nodes": [{"id": "e", "plugin_id": "debug", "tool_id": "echo"}],
           "edges": [], "entry_nodes": ["e"], "output_nodes": ["e"]}""");
      // No reload of the page: it follows the server's changes.
      waiter().until(d -> pipelineOptions().contains("e2e_added"));
      assertEquals("echo", selectedPipeline());
    } finally {
      Files.deleteIfExists(broken);
      Files.deleteIfExists(added);
    }
    waiter().until(d -> driver.findElements(By.cssSelector("#file-errors li")).isEmpty() && !pipelineOptions().contains("e2e_added"));
  }

  private static void setEditorText(String value) {
    WebElement editor = driver.findElement(By.id("editor-text"));
    driver.executeScript(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", editor, value);
  }

  private static List<String> editorErrors() {
    return driver.findElements(By.cssSelector("#editor-errors li")).stream().map(WebElement::getText).toList();
  }

  private static void open(String pathAndQuery) {
    driver.get(base + pathAndQuery);
  }

  private static WebDriverWait waiter() {
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // the page redraws parts live
    return wait;
  }

  private static String text(String id) {
    return driver.findElement(By.id(id)).getText().trim();
  }

  private static int count(String id) {
    return Integer.parseInt(text(id));
  }

  private static void screenshot(String name) throws IOException {
    File shot = driver.getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String selectedPipeline() {
    return (String) driver.executeScript("return document.getElementById('pipeline-select').value;");
  }

  /** Read in one script: the page rebuilds the list when the server's pipelines change. */
  @SuppressWarnings("unchecked")
  private static List<String> pipelineOptions() {
    return (List<String>) driver.executeScript(
        "return [...document.getElementById('pipeline-select').options].map(o => o.value);");
  }
}
