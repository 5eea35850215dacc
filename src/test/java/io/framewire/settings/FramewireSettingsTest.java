package io.framewire.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.framewire.inference.InferenceSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one settings tree: the defaults parse, and a bad value stops the start naming its key. */
class FramewireSettingsTest {

  private static FramewireSettings with(Map<String, Object> overrides) {
    return FramewireSettings.from(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load()));
  }

  /** The message of the failure that {@code key = value} causes. */
  private static String refusal(String key, Object value) {
    return assertThrows(IllegalArgumentException.class, () -> with(Map.of(key, value))).getMessage();
  }

  @Test
  void theDefaultsParse() {
    FramewireSettings settings = with(Map.of());
    assertEquals(new FramewireSettings.Http("0.0.0.0", 8080), settings.http());
    assertTrue(settings.management().port().isEmpty(), "management port off");
    assertFalse(settings.tls().enabled());
    assertEquals(Duration.ofSeconds(10), settings.shutdown().deadline());
    assertEquals(io.framewire.sinks.SinkSettings.defaults(), settings.sinks());
    assertEquals(Optional.empty(), settings.admin().token());
    assertEquals("auto", settings.jpeg().decoder());
    assertEquals(32, settings.stream().maxSessions());
    assertEquals(5 * 1024 * 1024, settings.stream().maxFrameBytes());
    assertEquals(Duration.ofSeconds(5), settings.stream().managerAskTimeout());
    assertEquals("framewire", settings.stream().webSocketLayer());
    assertEquals(List.of(), settings.stream().allowedOrigins());
    assertEquals(8, settings.sources().max());
    assertEquals(settings.stream().frameTimeout(), settings.sources().frameTimeout(), "sources follow the stream's");
    assertFalse(settings.cluster().enabled());
    assertEquals(Duration.ofMillis(500), settings.connections().closeGrace());
    assertEquals(Optional.empty(), settings.engine().pipelinesDir());
    assertTrue(settings.engine().watchPipelines());
    assertEquals(InferenceSettings.Provider.CPU, settings.engine().inference().provider());
    assertEquals(Path.of("models").toAbsolutePath(), settings.engine().inference().modelsDir());
    assertEquals(Duration.ofSeconds(30), settings.memory().idleGc());
  }

  @Test
  void overridesReachTheirRecords() {
    FramewireSettings settings = with(Map.of(
        "framewire.stream.allowed-origins", "https://a.example, https://b.example",
        "framewire.management.port", 0,
        "framewire.pipelines.dir", "/srv/pipelines",
        "framewire.stream.websocket-layer", "PEKKO"));
    assertEquals(List.of("https://a.example", "https://b.example"), settings.stream().allowedOrigins());
    assertEquals(0, settings.management().port().getAsInt());
    assertEquals(Optional.of(Path.of("/srv/pipelines")), settings.engine().pipelinesDir());
    assertEquals("pekko", settings.stream().webSocketLayer());
  }

  @Test
  void aBadValueNamesItsKey() {
    assertEquals("framewire.stream.max-sessions must be positive, got 0", refusal("framewire.stream.max-sessions", 0));
    assertEquals("framewire.http.port must be 0..65535, got 70000", refusal("framewire.http.port", 70000));
    assertEquals("framewire.inference.provider (INFERENCE_PROVIDER) must be cpu or cuda, got 'tpu'",
        refusal("framewire.inference.provider", "tpu"));
    assertEquals("framewire.shutdown.deadline-ms must be at least 100, got 50", refusal("framewire.shutdown.deadline-ms", 50));
    assertEquals("framewire.sinks.max-backoff-ms must be >= framewire.sinks.min-backoff-ms, got 100",
        refusal("framewire.sinks.max-backoff-ms", 100));
    assertEquals("framewire.pipelines.watch-debounce-ms must be 0..1500, got 5000",
        refusal("framewire.pipelines.watch-debounce-ms", 5000));
    assertEquals("framewire.stream.websocket-layer must be framewire or pekko, got 'netty'",
        refusal("framewire.stream.websocket-layer", "netty"));
    assertEquals("framewire.sources.rtsp-transport must be tcp or udp, got 'http'",
        refusal("framewire.sources.rtsp-transport", "http"));
    assertEquals("framewire.stream.drop-threshold must be between 0 and 1, got 1.5",
        refusal("framewire.stream.drop-threshold", 1.5));
    assertEquals("framewire.jpeg.decoder must be auto, turbojpeg or imageio, got 'libjpeg'",
        refusal("framewire.jpeg.decoder", "libjpeg"));
    assertEquals("framewire.connections.max-per-address must be at least 1, got 0",
        refusal("framewire.connections.max-per-address", 0));
  }

  @Test
  void aValueOfTheWrongTypeNamesItsKey() {
    String message = refusal("framewire.stream.max-sessions", "many");
    assertTrue(message.startsWith("bad setting: "), message);
    assertTrue(message.contains("framewire.stream.max-sessions"), message);
  }

  @Test
  void anUnknownKeyIsRefusedAsATypo() {
    assertEquals("unknown setting framewire.stream.max-sesions (docs/configuration.md lists every setting)",
        refusal("framewire.stream.max-sesions", 4));
  }

  @Test
  void tlsNeedsBothFiles() {
    assertEquals("TLS needs both TLS_CERT_FILE and TLS_KEY_FILE; only TLS_CERT_FILE is set",
        refusal("framewire.tls.cert-file", "/etc/cert.pem"));
  }
}
