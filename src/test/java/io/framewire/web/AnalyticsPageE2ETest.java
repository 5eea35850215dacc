package io.framewire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.framewire.server.FramewireServer;
import io.framewire.settings.FramewireSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
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
 * here ({@link FakeCamera#squareCrossing}: a square crossing the frame from left to right). The page
 * starts on the built-in {@code motion_track} ({@code motion/detect → track/bytetrack}, no lines), as
 * a newcomer would; the test draws a line across the square's path with two clicks, names it, and
 * saves it into a new lines node: a built-in cannot be replaced, so the page creates a copy,
 * {@code motion_track_counting}, selects it and streams it, and the test waits for the page to show
 * the line's count and its event. Then it draws a zone on the square's path, closed by a double
 * click, which goes into the copy (a new zones node after the tracker), and waits for the page to
 * count the square entering it.
 *
 * <p>Needs the {@code analytics} plugin: without it the copy cannot be created and the test fails.
 */
class AnalyticsPageE2ETest {

  private static final Duration WAIT = Duration.ofSeconds(45);
  private static final int WIDTH = 320;
  private static final int HEIGHT = 240;
  private static final String BUILT_IN = "motion_track";
  private static final String COPY = "motion_track_counting";
  /** The line drawn, in frame pixels: top to bottom across the middle, so the square crosses it left to right. */
  private static final int[] FROM = {160, 30};
  private static final int[] TO = {160, 210};
  /** The zone drawn, in frame pixels: the right part of the square's path, clear of the line. */
  private static final int[][] ZONE = {{190, 50}, {315, 50}, {315, 190}, {190, 190}};
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void linesAndZonesDrawnOnABuiltInGoIntoACopyThatCountsTheSquare() throws Exception {
    Path media = Files.createTempDirectory("framewire-fake-camera-");
    var config = ConfigFactory.parseMap(Map.of("framewire.http.host", "127.0.0.1", "framewire.http.port", 0))
        .withFallback(ConfigFactory.load());
    try (FramewireServer server = FramewireServer.start(FramewireSettings.from(config));
        Browser browser = Browser.headlessChromium("chromedriver-analytics.log",
            "--use-file-for-fake-video-capture=" + FakeCamera.squareCrossing(media, WIDTH, HEIGHT, 15, 48, 6, 20))) {
      String base = "http://127.0.0.1:" + server.port();
      HttpClient http = HttpClient.newHttpClient();
      JsonNode builtIn = get(http, base + "/pipelines/" + BUILT_IN);

      ChromeDriver driver = browser.driver;
      WebDriverWait wait = new WebDriverWait(driver, WAIT);
      wait.ignoring(StaleElementReferenceException.class); // the lists are redrawn on each result
      driver.get(base + "/?pipeline_id=" + BUILT_IN + "&autostart=1");
      WebElement overlay = driver.findElement(By.id("overlay"));
      WebElement nodes = driver.findElement(By.id("draw-node"));
      // Streaming the fake camera's frames, the built-in's definition loaded (the picker offers a new
      // lines node before any drawing), the square tracked.
      wait.until(d -> String.valueOf(WIDTH).equals(overlay.getAttribute("width"))
          && BUILT_IN.equals(d.findElement(By.id("graph")).getAttribute("data-pipeline")));
      wait.until(d -> Integer.parseInt(overlay.getAttribute("data-tracks")) >= 1);
      wait.withMessage(() -> "no lines node in the built-in: only a new one is offered")
          .until(d -> options(nodes).equals(List.of("")));

      driver.findElement(By.id("draw-line-button")).click();
      WebElement layer = driver.findElement(By.id("draw-layer"));
      click(driver, layer, FROM);
      click(driver, layer, TO);
      assertEquals("true", layer.getAttribute("data-complete"));
      WebElement name = driver.findElement(By.id("draw-name"));
      assertEquals("line1", name.getAttribute("value"), "a fresh name is suggested");
      name.clear();
      name.sendKeys("door");
      driver.findElement(By.id("draw-save-button")).click();
      wait.until(d -> d.findElement(By.id("draw-status")).getText().startsWith(
          "Line 'door' saved. '" + BUILT_IN + "' is built in, so it went into a copy, '" + COPY + "', now selected. Created '"
              + COPY + "' version 1"));

      // The copy exists (GET /pipelines), editable; the built-in is unchanged.
      Map<String, JsonNode> listed = new HashMap<>();
      get(http, base + "/pipelines").forEach(p -> listed.put(p.get("id").asText(), p));
      assertEquals("memory", listed.get(COPY).get("source").asText());
      assertTrue(listed.get(COPY).get("editable").asBoolean());
      assertEquals(builtIn, get(http, base + "/pipelines/" + BUILT_IN), "the built-in is not changed");
      // The copy: the built-in's nodes and a new lines node after the tracker with the line, in frame
      // pixels (a click lands within a pixel of the point aimed at).
      JsonNode copy = get(http, base + "/pipelines/" + COPY);
      assertEquals("Motion tracks (counting)", copy.get("name").asText());
      for (int n = 0; n < builtIn.get("nodes").size(); n++) {
        assertEquals(builtIn.get("nodes").get(n), copy.get("nodes").get(n));
      }
      JsonNode linesNode = copy.get("nodes").get(3);
      assertEquals("lines analytics/lines", linesNode.get("id").asText() + " " + linesNode.get("plugin_id").asText() + "/"
          + linesNode.get("tool_id").asText());
      assertEquals("[\"motion\",\"track\",\"lines\"]", copy.get("output_nodes").toString());
      JsonNode door = linesNode.get("params").get("lines").get(0);
      assertEquals("door", door.get("name").asText());
      for (int i = 0; i < 2; i++) {
        assertTrue(Math.abs(door.get("from").get(i).asInt() - FROM[i]) <= 1, "from: " + door);
        assertTrue(Math.abs(door.get("to").get(i).asInt() - TO[i]) <= 1, "to: " + door);
      }

      // The page selects the copy and streams it: the line is drawn, and the node picker offers the
      // new lines node at once (before the next Draw). The square crosses the door from its right side
      // (the image's left: from→to points down) to its left, so it counts out.
      WebElement select = driver.findElement(By.id("pipeline-select"));
      wait.until(d -> COPY.equals(select.getAttribute("value")) && "1".equals(overlay.getAttribute("data-lines")));
      wait.until(d -> options(nodes).equals(List.of("lines", "")));
      assertEquals("lines", nodes.getAttribute("value"));
      wait.withMessage(() -> "counts: " + driver.findElement(By.id("counts")).getText())
          .until(d -> driver.findElements(By.cssSelector("#counts li[data-name='door']")).stream()
              .anyMatch(li -> Integer.parseInt(li.getAttribute("data-out")) >= 1));
      wait.withMessage(() -> "events: " + driver.findElement(By.id("events")).getText())
          .until(d -> d.findElements(By.cssSelector("#events li[data-type='line_crossed']")).stream()
              .anyMatch(li -> li.getText().contains(" line_crossed door out #")));
      screenshot(driver, "analytics-line");

      // A zone over the right part of the square's path, closed with a double click, into a new
      // analytics/zones node of the copy after the tracker: the square enters it.
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
      assertEquals("", nodes.getAttribute("value"), "no zones node yet: a new one is offered");
      assertEquals("zone1", driver.findElement(By.id("draw-name")).getAttribute("value"));
      driver.findElement(By.id("draw-save-button")).click();
      wait.until(d -> d.findElement(By.id("draw-status")).getText().startsWith("Zone 'zone1' saved. Saved '" + COPY + "' version 2"));
      JsonNode withZone = get(http, base + "/pipelines/" + COPY);
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
      assertEquals("[\"motion\",\"track\",\"lines\",\"zones\"]", withZone.get("output_nodes").toString());
      wait.until(d -> "1".equals(overlay.getAttribute("data-zones")));
      wait.withMessage(() -> "counts: " + driver.findElement(By.id("counts")).getText())
          .until(d -> driver.findElements(By.cssSelector("#counts li[data-name='zone1']")).stream()
              .anyMatch(li -> Integer.parseInt(li.getAttribute("data-entered")) >= 1));
      screenshot(driver, "analytics-zone");
    } finally {
      Browser.deleteTree(media);
    }
  }

  private static JsonNode get(HttpClient http, String url) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url + ": " + response.body());
    return JSON.readTree(response.body());
  }

  /** The values of a select's options, in order. */
  private static List<String> options(WebElement select) {
    return select.findElements(By.tagName("option")).stream().map(o -> o.getAttribute("value")).toList();
  }

  private static void screenshot(ChromeDriver driver, String name) throws IOException {
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
