package io.framewire.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

  @Test
  void defaultsAreAClosedLoopOnLocalhost() throws Exception {
    LoadOptions o = LoadOptions.parse();
    assertEquals("127.0.0.1", o.url().getHost());
    assertEquals(1, o.sessions());
    assertTrue(o.closedLoop());
    assertEquals(Duration.ofSeconds(10), o.duration());
    assertEquals(Duration.ofSeconds(2), o.warmup());
    assertEquals(21, o.jpegKb());
    assertFalse(o.json());
  }

  @Test
  void parsesEveryOption() throws Exception {
    LoadOptions o = LoadOptions.parse("--url", "ws://localhost:9/ws/video/stream?pipeline_id=motion",
        "--sessions", "50", "--fps", "15", "--duration", "2m", "--warmup", "500ms",
        "--drain-timeout", "1.5", "--connect-timeout", "3s", "--jpeg", "/tmp/x.jpg", "--jpeg-kb",
        "8", "--json", "--progress", "0", "--allow-remote");
    assertEquals(9, o.url().getPort());
    assertEquals(50, o.sessions());
    assertEquals(15.0, o.fps());
    assertFalse(o.closedLoop());
    assertEquals(Duration.ofMinutes(2), o.duration());
    assertEquals(Duration.ofMillis(500), o.warmup());
    assertEquals(Duration.ofMillis(1500), o.drainTimeout());
    assertEquals(Duration.ofSeconds(3), o.connectTimeout());
    assertEquals(Path.of("/tmp/x.jpg"), o.jpegFile());
    assertEquals(8, o.jpegKb());
    assertTrue(o.json());
    assertTrue(o.progressEvery().isZero());
    assertTrue(o.allowRemote());
  }

  @Test
  void helpReturnsNull() throws Exception {
    assertNull(LoadOptions.parse("--sessions", "2", "--help"));
  }

  @Test
  void rejectsBadValues() {
    assertUsage("unknown option", "--bogus");
    assertUsage("needs a value", "--sessions");
    assertUsage("positive integer", "--sessions", "0");
    assertUsage("positive integer", "--sessions", "many");
    assertUsage(">= 0", "--fps", "-1");
    assertUsage("duration", "--duration", "soon");
    assertUsage("greater than 0", "--duration", "0s");
    assertUsage("ws://", "--url", "http://127.0.0.1:8080/");
    assertUsage("not a valid URL", "--url", "ws://127.0.0.1:8080/ bad");
  }

  @Test
  void onlyLoopbackWithoutAllowRemote() throws Exception {
    assertTrue(LoadOptions.isLoopback("127.0.0.1"));
    assertTrue(LoadOptions.isLoopback("127.5.6.7"));
    assertTrue(LoadOptions.isLoopback("localhost"));
    assertTrue(LoadOptions.isLoopback("[::1]"));
    assertFalse(LoadOptions.isLoopback("0.0.0.0"));
    assertFalse(LoadOptions.isLoopback("192.168.1.1"));
    assertFalse(LoadOptions.isLoopback("my-loopback-alias"));
    assertUsage("refusing non-loopback host", "--url", "ws://192.168.1.1:8080/");
    assertEquals("192.168.1.1",
        LoadOptions.parse("--url", "ws://192.168.1.1:8080/", "--allow-remote").url().getHost());
  }

  private static void assertUsage(String expected, String... args) {
    LoadOptions.UsageException e =
        assertThrows(LoadOptions.UsageException.class, () -> LoadOptions.parse(args));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
