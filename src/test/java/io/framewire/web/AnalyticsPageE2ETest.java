package io.framewire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.framewire.server.FramewireServer;
import io.framewire.settings.FramewireSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Drawing a counting line on the video and seeing it count, in real headless Chromium (Debian's
 * chromium and chromium-driver) against the whole server: Chromium's fake camera plays a file made
 * here ({@link FakeCamera#squareCrossing}: a square crossing the frame from left to right); the
 * pipeline {@code motion/detect → track/bytetrack → analytics/lines} is created through the API; the
 * test draws a line across the square's path with two clicks, names it, saves it into the pipeline's
 * lines node from the page, and waits for the page to show the line's count and its event; then
 * draws a zone on the square's path, closed by a double click, into a new zones node after the
 * tracker, and waits for the page to count the square entering it.
 *
 * <p>Needs the {@code analytics} plugin: without it the pipeline cannot be created and the test fails.
 */
class AnalyticsPageE2ETest {

  private static final Duration WAIT = Duration.ofSeconds(45);
  private static final int WIDTH = 320;
  private static final int HEIGHT = 240;
  private static final String PIPELINE = "e2e_counting";
  /** The line drawn, in frame pixels: top to bottom across the middle, so the square crosses it left to right. */
  private static final int[] FROM = {160, 30};
  private static final int[] TO = {160, 210};
  /** The zone drawn, in frame pixels: the right part of the square's path, clear of the line. */
  private static final int[][] ZONE = {{190, 50}, {315, 50}, {315, 190}, {190, 190}};

  private static final String DEFINITION = """
      {"id": "%s", "name": "Counting (E2E)",
       "nodes": [{"id": "decode", "plugin_id": "image", "tool_id": "info"},
                 {"id": "motion", "plugin_id": "motion", "tool_id": "detect", "params": {"threshold": 25, "min_area": 64}},
                 {"id": "track", "plugin_id": "track", "tool_id": "bytetrack", "params": {"min_hits": 2}},
                 {"id": "lines", "plugin_id": "analytics", "tool_id": "lines",
                  "params": {"lines": [{"name": "corner", "from": [0, 0], "to": [20, 0]}]}}],
       "edges": [{"from_node": "decode", "to_node": "motion"}, {"from_node": "motion", "to_node": "track"},
                 {"from_node": "track", "to_node": "lines"}],
       "entry_nodes": ["decode"], "output_nodes": ["track", "lines"]}
      """.formatted(PIPELINE);

  @Test
  void linesAndZonesDrawnOnTheVideoAreSavedIntoThePipelineAndCountTheSquare() throws Exception {
    Path media = Files.createTempDirectory("framewire-fake-camera-");
    var config = ConfigFactory.parseMap(Map.of("framewire.http.host", "127.0.0.1", "framewire.http.port", 0))
        .withFallback(ConfigFactory.load());
    try (FramewireServer server = FramewireServer.start(FramewireSettings.from(config));
        Browser browser = Browser.headlessChromium("chromedriver-analytics.log",
            "--use-file-for-fake-video-capture=" + FakeCamera.squareCrossing(media, WIDTH, HEIGHT, 15, 48, 6, 20))) {
      String base = "http://127.0.0.1:" + server.port();
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/pipelines"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(DEFINITION)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(201, created.statusCode(), "creating the pipeline (is the analytics plugin there?): " + created.body());

      ChromeDriver driver = browser.driver;
      WebDriverWait wait = new WebDriverWait(driver, WAIT);
      wait.ignoring(StaleElementReferenceException.class); // the lists are redrawn on each result
      driver.get(base + "/?pipeline_id=" + PIPELINE + "&autostart=1");
      WebElement overlay = driver.findElement(By.id("overlay"));
      // Streaming the fake camera's frames, the pipeline's definition loaded (its one line drawn), the square tracked.
      wait.until(d -> String.valueOf(WIDTH).equals(overlay.getAttribute("width"))
          && "1".equals(overlay.getAttribute("data-lines")));
      wait.until(d -> Integer.parseInt(overlay.getAttribute("data-tracks")) >= 1);
      wait.until(d -> driver.findElements(By.cssSelector("#counts li[data-name='corner']")).size() == 1);

      driver.findElement(By.id("draw-line-button")).click();
      WebElement layer = driver.findElement(By.id("draw-layer"));
      click(driver, layer, FROM);
      click(driver, layer, TO);
      assertEquals("true", layer.getAttribute("data-complete"));
      WebElement name = driver.findElement(By.id("draw-name"));
      assertEquals("line1", name.getAttribute("value"), "a fresh name is suggested");
      name.clear();
      name.sendKeys("door");
      assertEquals("lines", driver.findElement(By.id("draw-node")).getAttribute("value"), "the pipeline's lines node is offered first");
      driver.findElement(By.id("draw-save-button")).click();
      wait.until(d -> d.findElement(By.id("draw-status")).getText().startsWith("Line 'door' saved. Saved 'e2e_counting' version 2"));

      // Saved into the lines node, in frame pixels (a click lands within a pixel of the point aimed at).
      HttpResponse<String> saved = http.send(HttpRequest.newBuilder(URI.create(base + "/pipelines/" + PIPELINE)).build(),
          HttpResponse.BodyHandlers.ofString());
      JsonNode lines = new ObjectMapper().readTree(saved.body()).get("nodes").get(3).get("params").get("lines");
      assertEquals(List.of("corner", "door"), List.of(lines.get(0).get("name").asText(), lines.get(1).get("name").asText()));
      JsonNode door = lines.get(1);
      for (int i = 0; i < 2; i++) {
        assertTrue(Math.abs(door.get("from").get(i).asInt() - FROM[i]) <= 1, "from: " + door);
        assertTrue(Math.abs(door.get("to").get(i).asInt() - TO[i]) <= 1, "to: " + door);
      }

      // The page streams again on the saved version: the square crosses the door from its right side
      // (the image's left: from→to points down) to its left, so it counts out.
      wait.until(d -> "2".equals(overlay.getAttribute("data-lines")));
      wait.withMessage(() -> "counts: " + driver.findElement(By.id("counts")).getText())
          .until(d -> driver.findElements(By.cssSelector("#counts li[data-name='door']")).stream()
              .anyMatch(li -> Integer.parseInt(li.getAttribute("data-out")) >= 1));
      wait.withMessage(() -> "events: " + driver.findElement(By.id("events")).getText())
          .until(d -> d.findElements(By.cssSelector("#events li[data-type='line_crossed']")).stream()
              .anyMatch(li -> li.getText().contains(" line_crossed door out #")));
      screenshot(driver, "analytics-line");

      // A zone over the right part of the square's path, closed with a double click, into a new
      // analytics/zones node after the tracker: the square enters it.
      driver.findElement(By.id("draw-zone-button")).click();
      for (int[] corner : ZONE) {
        if (corner == ZONE[ZONE.length - 1]) {
          doubleClick(driver, layer, corner);
        } else {
          click(driver, layer, corner);
        }
      }
      assertEquals("true", layer.getAttribute("data-complete"));
      assertEquals(String.valueOf(ZONE.length), layer.getAttribute("data-points"), "the double click's repeat is dropped");
      assertEquals("", driver.findElement(By.id("draw-node")).getAttribute("value"), "no zones node yet: a new one is offered");
      assertEquals("zone1", driver.findElement(By.id("draw-name")).getAttribute("value"));
      driver.findElement(By.id("draw-save-button")).click();
      wait.until(d -> d.findElement(By.id("draw-status")).getText().startsWith("Zone 'zone1' saved. Saved 'e2e_counting' version 3"));
      JsonNode withZone = new ObjectMapper().readTree(http.send(
          HttpRequest.newBuilder(URI.create(base + "/pipelines/" + PIPELINE)).build(), HttpResponse.BodyHandlers.ofString()).body());
      JsonNode zones = withZone.get("nodes").get(3); // inserted after the tracker, before the lines node
      assertEquals("zones", zones.get("id").asText());
      assertEquals("analytics/zones", zones.get("plugin_id").asText() + "/" + zones.get("tool_id").asText());
      JsonNode points = zones.get("params").get("zones").get(0).get("points");
      assertEquals(ZONE.length, points.size(), "points: " + points);
      for (int c = 0; c < ZONE.length; c++) {
        for (int i = 0; i < 2; i++) {
          assertTrue(Math.abs(points.get(c).get(i).asInt() - ZONE[c][i]) <= 1, "points: " + points);
        }
      }
      assertEquals("{\"from_node\":\"track\",\"to_node\":\"zones\"}", withZone.get("edges").get(3).toString());
      assertEquals("[\"track\",\"lines\",\"zones\"]", withZone.get("output_nodes").toString());
      wait.until(d -> "1".equals(overlay.getAttribute("data-zones")));
      wait.withMessage(() -> "counts: " + driver.findElement(By.id("counts")).getText())
          .until(d -> driver.findElements(By.cssSelector("#counts li[data-name='zone1']")).stream()
              .anyMatch(li -> Integer.parseInt(li.getAttribute("data-entered")) >= 1));
      screenshot(driver, "analytics-zone");
    } finally {
      Browser.deleteTree(media);
    }
  }

  private static void screenshot(ChromeDriver driver, String name) throws java.io.IOException {
    Files.createDirectories(Path.of("target", "screenshots"));
    Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "screenshots", name + ".png"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static void click(ChromeDriver driver, WebElement layer, int[] p) {
    pointAt(driver, layer, p).click().perform();
  }

  private static void doubleClick(ChromeDriver driver, WebElement layer, int[] p) {
    pointAt(driver, layer, p).doubleClick().perform();
  }

  /** Moves to where the layer shows frame point {@code p} (the frame is fitted in it like object-fit: contain). */
  private static Actions pointAt(ChromeDriver driver, WebElement layer, int[] p) {
    @SuppressWarnings("unchecked")
    Map<String, Number> rect = (Map<String, Number>) driver.executeScript(
        "const r = arguments[0].getBoundingClientRect(); return {w: r.width, h: r.height};", layer);
    double w = rect.get("w").doubleValue();
    double h = rect.get("h").doubleValue();
    double scale = Math.min(w / WIDTH, h / HEIGHT);
    double x = (w - WIDTH * scale) / 2 + p[0] * scale;
    double y = (h - HEIGHT * scale) / 2 + p[1] * scale;
    // Offsets from the element's centre (WebDriver's origin for an element).
    return new Actions(driver).moveToElement(layer, (int) Math.round(x - w / 2), (int) Math.round(y - h / 2));
  }
}
