package io.framewire.web;

import io.framewire.settings.FramewireSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.framewire.server.FramewireServer;
import io.framewire.testing.TestCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page in Debian's headless Chromium (as in {@link BrowserStreamingE2ETest}) when things go
 * wrong or get serious: the server is stopped with a real SIGTERM while the page streams and a new
 * one is started on the same port (the page must come back by itself), and the page served over
 * HTTPS with a certificate the test makes (the page must stream over {@code wss://}).
 *
 * <p>The restarted servers are separate JVMs ({@code io.framewire.App} on this test's class
 * path), so that the shutdown is the real signal path: CoordinatedShutdown's JVM hook drains the
 * session ({@code server_shutting_down}) and the process exits.
 */
class BrowserResilienceE2ETest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private static Browser browser;
  private static ChromeDriver driver;

  @BeforeAll
  static void startBrowser() throws Exception {
    // The HTTPS test's certificate is self-signed.
    browser = Browser.headlessChromium("chromedriver-resilience.log", "--ignore-certificate-errors");
    driver = browser.driver;
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void thePageComesBackByItselfWhenTheServerIsRestartedOnTheSamePort() throws Exception {
    int port = freePort();
    Path firstLog = Path.of("target", "resilience-server-1.log");
    Process first = startServerProcess(port, firstLog);
    Process second = null;
    try {
      awaitHealthy(port, first);
      driver.get("http://127.0.0.1:" + port + "/?pipeline_id=echo&autostart=1");
      waiter(WAIT).until(d -> count("results-count") >= 3);

      first.destroy(); // SIGTERM: the server drains the session and exits
      assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the server exits on SIGTERM");
      assertEquals(143, first.exitValue(), "terminated by SIGTERM after its shutdown hook");
      waiter(WAIT).until(d -> "reconnecting".equals(text("status"))
          && text("error-message").matches("Reconnecting in \\d+ s…"));

      String firstLines = Files.readString(firstLog);
      assertTrue(firstLines.contains("\"error\":\"server_shutting_down\""),
          "the session was told server_shutting_down before the exit");

      second = startServerProcess(port, Path.of("target", "resilience-server-2.log"));
      awaitHealthy(port, second);
      // Counters restart with each connection: results again mean the page resumed on its own.
      waiter(Duration.ofSeconds(60)).until(d -> "open".equals(text("status")) && count("results-count") >= 3);
      assertTrue(!driver.findElement(By.id("error-banner")).isDisplayed(), "the banner is gone");
    } finally {
      stop(first);
      stop(second);
    }
  }

  @Test
  void thePageStreamsOverHttps() throws Exception {
    Path dir = Files.createTempDirectory("framewire-tls-");
    TestCertificates.Pair pair = TestCertificates.rsa(dir, "page");
    try (FramewireServer server = FramewireServer.start(FramewireSettings.from(ConfigFactory.parseMap(Map.of(
            "framewire.http.host", "127.0.0.1",
            "framewire.http.port", 0,
            "framewire.tls.cert-file", pair.cert().toString(),
            "framewire.tls.key-file", pair.key().toString()))
        .withFallback(ConfigFactory.load())))) {
      driver.get("https://127.0.0.1:" + server.port() + "/?pipeline_id=echo&autostart=1");
      waiter(WAIT).until(d -> count("results-count") >= 3);
      assertTrue(text("ws-url").startsWith("wss://127.0.0.1:" + server.port() + "/ws/video/stream"), text("ws-url"));
      assertEquals("open", text("status"));
    } finally {
      Browser.deleteTree(dir);
    }
  }

  private static Process startServerProcess(int port, Path log) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // The production logging (JSON lines), not the test configuration that is also on this class path.
        "-Xmx256m", "-Dlogback.configurationFile=logback.xml", "-cp", classPath, "io.framewire.App"));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().putAll(Map.of(
        "HTTP_HOST", "127.0.0.1",
        "HTTP_PORT", Integer.toString(port),
        "SHUTDOWN_DEADLINE_MS", "3000"));
    return builder.start();
  }

  private static void awaitHealthy(int port, Process process) throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("the server process exited with " + process.exitValue());
      }
      try {
        HttpResponse<Void> health = client.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.discarding());
        if (health.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the server did not become healthy on port " + port);
  }

  private static void stop(Process process) throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static int freePort() {
    return io.framewire.testing.FreePorts.pick();
  }

  private static WebDriverWait waiter(Duration timeout) {
    return new WebDriverWait(driver, timeout);
  }

  private static String text(String id) {
    return driver.findElement(By.id(id)).getText().trim();
  }

  private static int count(String id) {
    return Integer.parseInt(text(id));
  }
}
