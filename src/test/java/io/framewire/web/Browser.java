package io.framewire.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A real headless Chromium for the browser tests: Debian's {@code chromium} driven through Debian's
 * {@code chromium-driver} (never a downloaded browser or driver), with a fresh profile directory and
 * the ChromeDriver log in {@code target/}. Fake camera and permission prompt (the page's
 * getUserMedia), no background traffic (sync, component updates, QUIC), a 1280×900 window unless
 * the test asks for another. {@link #close()} quits the browser, stops the driver and deletes the
 * profile.
 *
 * <p>Here, not in {@code io.framewire.testing}: everything there is shipped in the framewire-testkit
 * artifact, which has no Selenium.
 */
final class Browser implements AutoCloseable {

  private static final File CHROMIUM = new File("/usr/bin/chromium");
  private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

  private final Path profile;
  private final ChromeDriverService service;
  final ChromeDriver driver;

  private Browser(Path profile, ChromeDriverService service, ChromeDriver driver) {
    this.profile = profile;
    this.service = service;
    this.driver = driver;
  }

  /**
   * @param logFile the ChromeDriver log's name in {@code target/}
   * @param extraArguments Chromium flags on top of the common ones; a {@code --window-size=} here
   *     replaces the default size
   */
  static Browser headlessChromium(String logFile, String... extraArguments) throws IOException {
    Path profile = Files.createTempDirectory("framewire-chromium-");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER)
        .usingAnyFreePort()
        .withLogFile(new File("target", logFile))
        .build();
    List<String> arguments = new ArrayList<>(List.of(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run", "--disable-quic",
        "--user-data-dir=" + profile.toAbsolutePath()));
    if (Stream.of(extraArguments).noneMatch(a -> a.startsWith("--window-size="))) {
      arguments.add("--window-size=1280,900");
    }
    arguments.addAll(List.of(extraArguments));
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(arguments);
    try {
      return new Browser(profile, service, new ChromeDriver(service, options));
    } catch (RuntimeException e) {
      service.stop();
      deleteTree(profile);
      throw e;
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      deleteTree(profile);
    }
  }

  /** Deletes {@code root} and everything below it, if it exists. */
  static void deleteTree(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
