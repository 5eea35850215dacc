package io.framewire.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.framewire.cluster.ClusterSettings;
import io.framewire.engine.EngineSettings;
import io.framewire.jobs.JobSettings;
import io.framewire.net.ConnectionLimits;
import io.framewire.net.TlsFiles;
import io.framewire.mcp.McpSettings;
import io.framewire.sinks.SinkSettings;
import io.framewire.sources.SourceSettings;
import io.framewire.streaming.StreamSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * framewire's settings, read and checked once at start ({@link #from}): the operator's {@code
 * application.conf} (environment overrides) over the library defaults of {@code reference.conf},
 * every key in docs/configuration.md. Each part is a record that checks itself; a bad value stops
 * the start with a message naming its key. Nothing else reads the configuration.
 *
 * @param pekko the whole configuration, for the actor system ({@code pekko.*} and the dispatchers):
 *     Pekko reads its own settings
 */
public record FramewireSettings(
    Http http,
    Management management,
    Tls tls,
    Shutdown shutdown,
    Admin admin,
    Memory memory,
    Jpeg jpeg,
    ConnectionLimits connections,
    StreamSettings stream,
    SourceSettings sources,
    SinkSettings sinks,
    JobSettings jobs,
    McpSettings mcp,
    ClusterSettings cluster,
    EngineSettings engine,
    Config pekko) {

  /** The public port: {@code framewire.http.*}. */
  public record Http(String host, int port) {
    public Http {
      requireHost("framewire.http.host", host);
      requirePort("framewire.http.port", port);
    }
  }

  /** {@code /health} and {@code /metrics} on a port of their own: {@code framewire.management.*}. */
  public record Management(String host, OptionalInt port) {
    public Management {
      requireHost("framewire.management.host", host);
      port.ifPresent(p -> requirePort("framewire.management.port", p));
    }
  }

  /** The certificate and key files of {@code framewire.tls.*}: both or neither. */
  public record Tls(Optional<Path> certFile, Optional<Path> keyFile) {
    public Tls {
      if (certFile.isPresent() != keyFile.isPresent()) {
        throw new IllegalArgumentException("TLS needs both TLS_CERT_FILE and TLS_KEY_FILE; only "
            + (certFile.isEmpty() ? "TLS_KEY_FILE" : "TLS_CERT_FILE") + " is set");
      }
    }

    public boolean enabled() {
      return certFile.isPresent();
    }

    /** The files, read and checked now; empty when TLS is off. */
    public Optional<TlsFiles> read() {
      return enabled() ? Optional.of(TlsFiles.read(certFile.get(), keyFile.get())) : Optional.empty();
    }
  }

  /** {@code framewire.shutdown.deadline-ms}: on SIGTERM, everything stops within it. */
  public record Shutdown(Duration deadline) {
    public Shutdown {
      if (deadline.toMillis() < 100) {
        throw new IllegalArgumentException("framewire.shutdown.deadline-ms must be at least 100, got "
            + deadline.toMillis());
      }
    }
  }

  /** {@code framewire.admin.token}; empty: loopback clients only may mutate. */
  public record Admin(Optional<String> token) {}

  /** {@code framewire.memory.idle-gc-ms}; zero: off. */
  public record Memory(Duration idleGc) {
    public Memory {
      if (idleGc.isNegative()) {
        throw new IllegalArgumentException("framewire.memory.idle-gc-ms must be 0 (off) or positive");
      }
    }
  }

  /** {@code framewire.jpeg.*}: the decoding library ({@code auto}, {@code turbojpeg}, {@code imageio}). */
  public record Jpeg(String decoder, Path turbojpegJar) {
    public Jpeg {
      decoder = decoder.strip().toLowerCase(Locale.ROOT);
      if (!decoder.equals("auto") && !decoder.equals("turbojpeg") && !decoder.equals("imageio")) {
        throw new IllegalArgumentException(
            "framewire.jpeg.decoder must be auto, turbojpeg or imageio, got '" + decoder + "'");
      }
    }
  }

  public FramewireSettings {
    Objects.requireNonNull(pekko, "pekko");
  }

  /** Whether this node serves clients (sessions, sources, the page): a cluster worker does not. */
  public boolean servesClients() {
    return cluster.isFront();
  }

  /** {@code ConfigFactory.load()}: application.conf, environment and system properties, reference.conf. */
  public static FramewireSettings load() {
    Config config;
    try {
      config = ConfigFactory.load();
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad configuration: " + e.getMessage(), e);
    }
    return from(config);
  }

  /**
   * Reads every framewire key of {@code config} once.
   *
   * @throws IllegalArgumentException naming the key of the first missing, mistyped or bad value
   */
  public static FramewireSettings from(Config config) {
    try {
      return SettingsReader.read(config);
    } catch (ConfigException e) {
      throw new IllegalArgumentException("bad setting: " + e.getMessage(), e);
    }
  }

  private static void requireHost(String key, String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException(key + " must not be empty");
    }
  }

  private static void requirePort(String key, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(key + " must be 0..65535, got " + port);
    }
  }
}
