package io.framewire.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestServer;
import io.framewire.testing.TestVideos;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Jobs panel in real headless Chromium against a server with its event store on: a job on a
 * file of the input directory and a job on an uploaded file (Chromium's file chooser) both run to
 * {@code done} with a full progress bar and the frame count, their results link gives the JSON lines
 * of every frame, a path outside the directory is refused with the server's sentence, and Delete
 * removes a finished job from the list and the server.
 */
class JobsPanelE2ETest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int FRAMES = 12;

  @TempDir Path data;
  @TempDir Path input;
  @TempDir Path elsewhere;

  @Test
  void pathAndUploadJobsRunToDoneTheirResultsDownloadAndBadInputIsSaid() throws Exception {
    Path video = TestVideos.numberedGray(input, FRAMES);
    Path upload = TestVideos.numberedGray(elsewhere, FRAMES);
    try (TestServer server = TestServer.start(Map.of("framewire.events.enabled", true,
            "framewire.events.data-dir", data.toString(), "framewire.jobs.input-dir", input.toString()));
        Browser browser = Browser.headlessChromium("chromedriver-jobs.log")) {
      String base = "http://127.0.0.1:" + server.port();
      ChromeDriver driver = browser.driver;
      WebDriverWait wait = new WebDriverWait(driver, WAIT);
      wait.ignoring(StaleElementReferenceException.class);
      driver.get(base + "/");
      WebElement list = driver.findElement(By.id("jobs-list"));
      WebElement message = driver.findElement(By.id("job-message"));
      wait.withMessage("the pipelines listed for jobs")
          .until(d -> !d.findElements(By.cssSelector("#job-pipeline option[value='inspect']")).isEmpty());
      Select pipeline = new Select(driver.findElement(By.id("job-pipeline")));

      // A path outside the input directory: the server's sentence, nothing listed.
      pipeline.selectByValue("inspect");
      driver.findElement(By.id("job-path")).sendKeys("../" + data.getFileName() + "/x.mp4");
      driver.findElement(By.id("job-submit")).click();
      wait.withMessage(() -> "refusal: " + message.getText()).until(d -> !message.getText().isEmpty());
      assertTrue(message.getText().contains(".."), message.getText());
      assertEquals(0, list.findElements(By.cssSelector("li.job")).size());

      // A file of the input directory.
      driver.findElement(By.id("job-path")).clear();
      driver.findElement(By.id("job-path")).sendKeys(video.getFileName().toString());
      driver.findElement(By.id("job-submit")).click();
      WebElement byPath = awaitDone(wait, list, 1);

      // An upload through the file chooser.
      pipeline.selectByValue("inspect");
      driver.findElement(By.id("job-file")).sendKeys(upload.toString());
      driver.findElement(By.id("job-submit")).click();
      awaitDone(wait, list, 2);

      for (WebElement row : list.findElements(By.cssSelector("li.job"))) {
        assertEquals("1", row.findElement(By.cssSelector("progress.job-progress")).getAttribute("value"));
        assertTrue(row.getText().contains("done · " + FRAMES + " / " + FRAMES + " frames"), row.getText());
        String results = row.findElement(By.cssSelector("a.job-results")).getAttribute("href");
        List<String> lines = get(results).lines().toList();
        assertEquals(FRAMES, lines.size());
        assertTrue(lines.get(0).startsWith("{\"frame_index\":0,"), lines.get(0));
      }

      // Delete a finished job: gone from the page and the server.
      String id = byPath.getAttribute("data-job-id");
      byPath.findElement(By.cssSelector("button[data-action='remove']")).click();
      wait.withMessage("the deleted job leaves the list")
          .until(d -> list.findElements(By.cssSelector("li.job[data-job-id='" + id + "']")).isEmpty());
      assertEquals(1, list.findElements(By.cssSelector("li.job")).size());
      assertTrue(!get(base + "/jobs").contains(id));
    }
  }

  /** Waits for {@code count} jobs listed, all done; returns the oldest (listed last). */
  private static WebElement awaitDone(WebDriverWait wait, WebElement list, int count) {
    wait.withMessage(() -> "jobs: " + list.getText()).until(d -> {
      List<WebElement> rows = list.findElements(By.cssSelector("li.job"));
      return rows.size() == count && rows.stream().allMatch(r -> "done".equals(r.getAttribute("data-state")));
    });
    List<WebElement> rows = list.findElements(By.cssSelector("li.job"));
    return rows.get(rows.size() - 1);
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url + ": " + response.body());
    return response.body();
  }
}
