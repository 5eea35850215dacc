package io.framewire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import io.framewire.pipeline.PipelineJson;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Stored events panel in real headless Chromium against a server with its event store on (a
 * temporary data dir): a pipeline whose node raises one {@code tick} event per frame, with a box
 * and track 1 (so the first of each stream gets a snapshot). Two events stored before the page
 * opens come from its first load; the page then streams Chromium's fake camera through the same
 * pipeline and its own session's events appear live, on top, through the tail, the first with a
 * thumbnail that loads and links to the full snapshot. A stream filter reloads the list with only
 * that stream. Then a server with the store off: the panel says so instead of failing.
 */
class EventsPanelE2ETest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path data;

  /** {@code evt/tick}: one {@code tick} event per frame, for track 1, boxing the frame's top left. */
  static final class TickPlugin implements ToolPlugin {
    @Override
    public String id() {
      return "evt";
    }

    @Override
    public Set<String> toolIds() {
      return Set.of("tick");
    }

    @Override
    public Tool create(String toolId, JsonNode params) {
      return input -> Map.of("events", List.of(Map.of("type", "tick", "label", "thing", "track_id", 1,
          "frame_index", input.get("frame_index"), "box", Map.of("x", 4, "y", 4, "w", 24, "h", 16))));
    }
  }

  @Test
  void eventsAppearLiveWithTheirSnapshotAndTheStoreOffIsSaid() throws Exception {
    var pipeline = PipelineJson.read("""
        {"id":"ticking","name":"ticking","nodes":[{"id":"ticker","plugin_id":"evt","tool_id":"tick","params":{}}],
         "edges":[],"entry_nodes":["ticker"],"output_nodes":["ticker"]}""");
    try (TestServer server = TestServer.start(
        Map.of("framewire.events.enabled", true, "framewire.events.data-dir", data.toString()),
        List.of(new TickPlugin()), List.of(pipeline));
        Browser browser = Browser.headlessChromium("chromedriver-events.log")) {
      String base = "http://127.0.0.1:" + server.port();
      // Two events before the page opens, from another session.
      try (WsTestClient client = server.stream("ticking")) {
        for (int i = 0; i < 2; i++) {
          assertTrue(client.sendBinary(TestJpegs.grayscale(64, 48, 128)).nextAnswer().isResult());
        }
      }
      TestServer.await("2 events stored", () -> get(base + "/events").get("events").size() == 2);
      JsonNode before = get(base + "/events").get("events");
      String earlierStream = before.get(0).get("stream").asText();

      ChromeDriver driver = browser.driver;
      WebDriverWait wait = new WebDriverWait(driver, WAIT);
      wait.ignoring(StaleElementReferenceException.class);
      driver.get(base + "/?pipeline_id=ticking&autostart=1");
      WebElement panel = driver.findElement(By.id("stored-events-panel"));
      WebElement list = driver.findElement(By.id("stored-events-list"));

      // The page's own session raises events: they come through the tail, newest first, above the
      // two loaded ones.
      wait.withMessage(() -> "panel: " + panel.getAttribute("data-state") + " " + list.getText())
          .until(d -> "live".equals(panel.getAttribute("data-state")) && ids(list).size() >= 5);
      List<Long> shown = ids(list);
      for (int i = 1; i < shown.size(); i++) {
        assertTrue(shown.get(i - 1) > shown.get(i), "newest first, each once: " + shown);
      }
      assertEquals(List.of(before.get(0).get("id").asLong(), before.get(1).get("id").asLong()),
          shown.subList(shown.size() - 2, shown.size()), "the loaded ones last");
      long firstLive = before.get(0).get("id").asLong() + 1;
      JsonNode first = get(base + "/events/" + firstLive);
      String pageStream = first.get("stream").asText();
      assertTrue(!pageStream.equals(earlierStream) && pageStream.startsWith("session:"), pageStream);
      WebElement row = list.findElement(By.cssSelector("li[data-event-id='" + firstLive + "']"));
      assertTrue(row.getText().contains("tick #1 thing"), row.getText());
      assertTrue(row.getText().contains(pageStream + " · ticking v1 · ticker"), row.getText());

      // The first event of the page's stream has a snapshot: its thumbnail loads (once the file is
      // written) and links to the picture.
      WebElement thumb = row.findElement(By.cssSelector("a.stored-event-thumb"));
      assertEquals(base + "/events/" + firstLive + "/snapshot.jpg", thumb.getAttribute("href"));
      WebElement img = thumb.findElement(By.tagName("img"));
      assertEquals("lazy", img.getAttribute("loading"));
      driver.executeScript("arguments[0].scrollIntoView()", row); // lazy: loaded once near the view
      wait.withMessage(() -> "thumbnail: " + img.getAttribute("data-snapshot"))
          .until(d -> "loaded".equals(img.getAttribute("data-snapshot")));
      assertEquals(driver.findElement(By.id("overlay")).getAttribute("width"),
          String.valueOf(driver.executeScript("return arguments[0].naturalWidth", img)), "the snapshot is the page's frame");

      // The chart counts at least the events the first load had, in this hour.
      WebElement chart = driver.findElement(By.id("stored-events-chart"));
      wait.until(d -> chart.getAttribute("data-total") != null && Integer.parseInt(chart.getAttribute("data-total")) >= 2);
      assertTrue(!chart.findElements(By.cssSelector("rect[data-type='tick']")).isEmpty());
      driver.executeScript("arguments[0].scrollIntoView()", panel);
      screenshot(driver, "events-panel");

      // A stream filter: only the earlier session's two events, and the tail adds none of the page's.
      driver.findElement(By.id("stored-events-stream")).sendKeys(earlierStream + "\n");
      wait.withMessage(() -> "filtered: " + ids(list))
          .until(d -> "live".equals(panel.getAttribute("data-state"))
              && ids(list).equals(List.of(before.get(0).get("id").asLong(), before.get(1).get("id").asLong())));

      // The store off: the panel says so, and how to turn it on.
      try (TestServer off = TestServer.start()) {
        driver.get("http://127.0.0.1:" + off.port() + "/");
        WebElement offPanel = driver.findElement(By.id("stored-events-panel"));
        wait.until(d -> "disabled".equals(offPanel.getAttribute("data-state")));
        assertTrue(driver.findElement(By.id("stored-events-status")).getText().contains("EVENTS_ENABLED=true"));
      }
    }
  }

  private static void screenshot(ChromeDriver driver, String name) throws java.io.IOException {
    java.nio.file.Files.createDirectories(Path.of("target", "screenshots"));
    java.nio.file.Files.copy(driver.getScreenshotAs(org.openqa.selenium.OutputType.FILE).toPath(),
        Path.of("target", "screenshots", name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** The event ids the list shows, top to bottom. */
  private static List<Long> ids(WebElement list) {
    return list.findElements(By.cssSelector("li[data-event-id]")).stream()
        .map(li -> Long.parseLong(li.getAttribute("data-event-id"))).toList();
  }

  private static JsonNode get(String url) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), url + ": " + response.body());
      return JSON.readTree(response.body());
    } catch (java.io.IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
