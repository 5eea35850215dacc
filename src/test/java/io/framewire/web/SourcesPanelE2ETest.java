package io.framewire.web;

import io.framewire.settings.FramewireSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.framewire.server.FramewireServer;
import io.framewire.testing.StreamServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page's Sources panel in real headless Chromium (Debian's chromium and chromium-driver), against
 * the whole server and a live camera served by Debian's ffmpeg over HTTP on 127.0.0.1: add the URL,
 * see it running, watch its answers drawn over the preview, delete it.
 */
class SourcesPanelE2ETest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void addWatchAndDeleteALiveSourceFromThePage() throws Exception {
    var config = ConfigFactory.parseMap(Map.of("framewire.http.host", "127.0.0.1", "framewire.http.port", 0))
        .withFallback(ConfigFactory.load());
    try (FramewireServer server = FramewireServer.start(FramewireSettings.from(config));
        StreamServers.Server camera = StreamServers.ffmpegHttp(StreamServers.freePort());
        Browser browser = Browser.headlessChromium("chromedriver-sources.log", "--window-size=1280,1400")) {
      ChromeDriver driver = browser.driver;
      WebDriverWait wait = new WebDriverWait(driver, WAIT);
      driver.get("http://127.0.0.1:" + server.port() + "/");
      wait.until(x -> new Select(driver.findElement(By.id("source-pipeline"))).getOptions().size() >= 4);
      new Select(driver.findElement(By.id("source-pipeline"))).selectByValue("inspect");
      driver.findElement(By.id("source-url")).sendKeys(camera.url);
      driver.findElement(By.id("source-add")).click();

      wait.until(x -> driver.findElements(By.cssSelector("#sources-list li[data-state='running']")).size() == 1);
      WebElement row = driver.findElement(By.cssSelector("#sources-list li"));
      assertTrue(row.getText().contains(camera.url), row.getText());
      assertTrue(row.getText().contains("inspect"), row.getText());
      assertEquals("Watching", row.findElement(By.cssSelector("button[data-action='watch']")).getText());

      // Added sources are watched at once: answers drive the overlay over the preview.
      WebElement overlay = driver.findElement(By.id("source-overlay"));
      wait.until(x -> overlay.getAttribute("data-frame-index") != null
          && Long.parseLong(overlay.getAttribute("data-frame-index")) >= 5);
      wait.until(x -> Integer.parseInt(driver.findElement(By.id("source-viewer")).getAttribute("data-results")) >= 5);
      wait.until(x -> Long.valueOf(160).equals(
          driver.executeScript("return document.getElementById('source-preview').naturalWidth")));
      assertEquals("160", overlay.getAttribute("width"), "the overlay has the frame's size");
      wait.until(x -> driver.findElement(By.id("source-watch-info")).getText().contains("luminance "));
      wait.withMessage(() -> "counters: " + driver.findElement(By.cssSelector("#sources-list li .source-counters")).getText())
          .until(x -> driver.findElement(By.cssSelector("#sources-list li .source-counters")).getText()
              .matches("[1-9][0-9]* processed .*160×120.*"));
      Files.createDirectories(Path.of("target", "screenshots"));
      Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), Path.of("target", "screenshots", "sources-panel.png"),
          StandardCopyOption.REPLACE_EXISTING);

      driver.findElement(By.cssSelector("#sources-list li button[data-action='delete']")).click();
      wait.until(x -> driver.findElements(By.cssSelector("#sources-list li")).isEmpty());
      assertTrue(!driver.findElement(By.id("source-viewer")).isDisplayed());
    }
  }
}
