package io.framewire.settings;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.framewire.cluster.ClusterSettings;
import io.framewire.engine.EngineSettings;
import io.framewire.eventstore.EventStoreSettings;
import io.framewire.eventstore.SnapshotSettings;
import io.framewire.inference.InferenceSettings;
import io.framewire.jobs.JobSettings;
import io.framewire.mcp.McpSettings;
import io.framewire.net.ConnectionLimits;
import io.framewire.sinks.SinkSettings;
import io.framewire.sources.SourceSettings;
import io.framewire.streaming.StreamSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/** Reads each framewire key once into the records of {@link FramewireSettings}; the records check the values. */
final class SettingsReader {

  private SettingsReader() {}

  static FramewireSettings read(Config config) {
    refuseUnknownKeys(config);
    int managementPort = config.getInt("framewire.management.port");
    return new FramewireSettings(
        new FramewireSettings.Http(config.getString("framewire.http.host"), config.getInt("framewire.http.port")),
        new FramewireSettings.Management(config.getString("framewire.management.host"),
            managementPort < 0 ? OptionalInt.empty() : OptionalInt.of(managementPort)),
        new FramewireSettings.Tls(path(config, "framewire.tls.cert-file"), path(config, "framewire.tls.key-file")),
        new FramewireSettings.Shutdown(millis(config, "framewire.shutdown.deadline-ms")),
        new FramewireSettings.Admin(text(config, "framewire.admin.token")),
        new FramewireSettings.Memory(millis(config, "framewire.memory.idle-gc-ms")),
        new FramewireSettings.Jpeg(config.getString("framewire.jpeg.decoder"),
            Path.of(config.getString("framewire.jpeg.turbojpeg-jar"))),
        connections(new Section(config, "framewire.connections")),
        stream(new Section(config, "framewire.stream")),
        sources(config),
        sinks(new Section(config, "framewire.sinks")),
        jobs(new Section(config, "framewire.jobs")),
        mcp(new Section(config, "framewire.mcp")),
        cluster(new Section(config, "framewire.cluster")),
        engine(config),
        config);
  }

  /**
   * A key under {@code framewire} that reference.conf does not define is a typo (a {@code -D} or an
   * edited application.conf) that would otherwise be ignored in silence.
   */
  private static void refuseUnknownKeys(Config config) {
    Config known = ConfigFactory.defaultReference().getConfig("framewire");
    Set<String> unknown = new TreeSet<>();
    if (config.hasPath("framewire")) {
      config.getConfig("framewire").entrySet().forEach(entry -> {
        if (!known.hasPathOrNull(entry.getKey())) {
          unknown.add("framewire." + entry.getKey());
        }
      });
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown setting " + String.join(", ", unknown)
          + " (docs/configuration.md lists every setting)");
    }
  }

  private static ConnectionLimits connections(Section c) {
    return ConnectionLimits.of(
        Duration.ofMillis(c.getLong("header-timeout-ms")),
        c.getInt("max-per-address"),
        c.getInt("max"),
        Duration.ofMillis(c.getLong("refusal-log-interval-ms")),
        Duration.ofMillis(c.getLong("close-grace-ms")));
  }

  private static StreamSettings stream(Section c) {
    double maxMb = c.getDouble("max-frame-size-mb");
    // StreamSettings checks the bytes again; this check guards the conversion to int, where a value
    // over 2 GiB would wrap round to one that looks valid.
    if (!(maxMb > 0) || maxMb > 1024) {
      throw new IllegalArgumentException("framewire.stream.max-frame-size-mb must be in (0, 1024], got " + maxMb);
    }
    return new StreamSettings(
        c.getDouble("drop-threshold"),
        c.getDouble("slowdown-threshold"),
        (int) Math.round(maxMb * 1024 * 1024),
        c.getLong("max-frame-pixels"),
        c.getInt("max-sessions"),
        Duration.ofMillis(c.getLong("frame-timeout-ms")),
        c.getInt("drop-window"),
        split(c.getString("allowed-origins")),
        text(c.config(), c.key("auth-token")),
        Duration.ofMillis(c.getLong("stall-timeout-ms")),
        Duration.ofMillis(c.getLong("idle-timeout-ms")),
        Duration.ofMillis(c.getLong("session-start-timeout-ms")),
        Duration.ofMillis(c.getLong("manager-ask-timeout-ms")),
        c.getString("websocket-layer"));
  }

  /** Live sources follow the stream's frame and stall timeouts too. */
  private static SourceSettings sources(Config config) {
    Section c = new Section(config, "framewire.sources");
    return new SourceSettings(
        c.getInt("max"),
        path(c.config(), c.key("state-dir")),
        Duration.ofMillis(c.getLong("reconnect.min-backoff-ms")),
        Duration.ofMillis(c.getLong("reconnect.max-backoff-ms")),
        c.getInt("reconnect.max-attempts"),
        Duration.ofMillis(c.getLong("io-timeout-ms")),
        millis(config, "framewire.stream.frame-timeout-ms"),
        c.getInt("watcher-buffer"),
        millis(config, "framewire.stream.stall-timeout-ms"),
        c.getString("rtsp-transport").trim());
  }

  private static McpSettings mcp(Section c) {
    int mb = c.getInt("max-image-mb");
    if (mb < 1 || mb > McpSettings.MAX_IMAGE_MB) {
      throw new IllegalArgumentException("framewire.mcp.max-image-mb must be 1.." + McpSettings.MAX_IMAGE_MB
          + ", got " + mb);
    }
    return new McpSettings(c.getBoolean("enabled"), split(c.getString("allowed-origins")), mb * 1024 * 1024);
  }

  private static SinkSettings sinks(Section c) {
    return new SinkSettings(
        Duration.ofMillis(c.getLong("poll-interval-ms")),
        c.getInt("batch-size"),
        Duration.ofMillis(c.getLong("min-backoff-ms")),
        Duration.ofMillis(c.getLong("max-backoff-ms")),
        Duration.ofMillis(c.getLong("publish-timeout-ms")),
        c.getInt("max-in-flight"),
        Duration.ofMillis(c.getLong("linger-ms")));
  }

  private static JobSettings jobs(Section c) {
    long mb = c.getLong("max-upload-mb");
    if (mb < 1 || mb > 1024 * 1024) {
      throw new IllegalArgumentException("framewire.jobs.max-upload-mb must be 1..1048576, got " + mb);
    }
    return new JobSettings(path(c.config(), c.key("input-dir")), mb * 1024 * 1024, c.getInt("max-running"));
  }

  private static ClusterSettings cluster(Section c) {
    List<String> seeds = split(c.getString("seed-nodes"));
    Set<String> roles = new LinkedHashSet<>(split(c.getString("roles")));
    return new ClusterSettings(
        !seeds.isEmpty(),
        roles,
        c.getString("host").trim(),
        c.getInt("port"),
        seeds,
        c.getInt("max-in-flight-per-worker"),
        c.getInt("max-pending"));
  }

  private static EngineSettings engine(Config config) {
    Section c = new Section(config, "framewire.inference");
    InferenceSettings inference = new InferenceSettings(
        Path.of(c.getString("models-dir")),
        InferenceSettings.provider(c.getString("provider")),
        InferenceSettings.knob(c.getString("max-batch"), "max-batch", "INFERENCE_MAX_BATCH"),
        c.getInt("queue-size"),
        InferenceSettings.knob(c.getString("concurrent-runs"), "concurrent-runs", "INFERENCE_CONCURRENT_RUNS"),
        InferenceSettings.knob(c.getString("intra-op-threads"), "intra-op-threads", "INFERENCE_INTRA_OP_THREADS"));
    return new EngineSettings(
        path(config, "framewire.pipelines.dir"),
        config.getBoolean("framewire.pipelines.watch"),
        millis(config, "framewire.pipelines.watch-debounce-ms"),
        inference,
        events(new Section(config, "framewire.events")));
  }

  private static EventStoreSettings events(Section c) {
    return new EventStoreSettings(
        c.config().getBoolean(c.key("enabled")),
        Path.of(c.getString("data-dir").trim().isEmpty() ? "data" : c.getString("data-dir").trim()),
        text(c.config(), c.key("db-url")).map(String::trim),
        text(c.config(), c.key("db-user")),
        text(c.config(), c.key("db-password")),
        c.getInt("db-pool-size"),
        c.getInt("queue-size"),
        c.getInt("batch-max"),
        Duration.ofMillis(c.getLong("batch-window-ms")),
        c.getInt("write-retries"),
        Duration.ofMillis(c.getLong("retry-backoff-ms")),
        new SnapshotSettings(
            c.config().getBoolean(c.key("snapshots")),
            path(c.config(), c.key("snapshots-dir")),
            Duration.ofMillis(c.getLong("snapshot-min-interval-ms")),
            c.getInt("snapshot-queue-size"),
            c.getLong("snapshots-max-mb") * 1024 * 1024,
            c.getInt("retention-days"),
            Duration.ofMillis(c.getLong("retention-sweep-interval-ms")),
            c.getInt("tail-buffer")));
  }

  /**
   * The keys of one block, read by their full path: Config's errors name the key they are given,
   * and a key relative to a sub-config would lose its block.
   */
  private record Section(Config config, String prefix) {
    String key(String name) {
      return prefix + "." + name;
    }

    String getString(String name) {
      return config.getString(key(name));
    }

    int getInt(String name) {
      return config.getInt(key(name));
    }

    boolean getBoolean(String name) {
      return config.getBoolean(key(name));
    }

    long getLong(String name) {
      return config.getLong(key(name));
    }

    double getDouble(String name) {
      return config.getDouble(key(name));
    }
  }

  private static Duration millis(Config config, String key) {
    return Duration.ofMillis(config.getLong(key));
  }

  /** A string setting whose empty (or blank) value means "not set". */
  private static Optional<String> text(Config config, String key) {
    return Optional.of(config.getString(key)).filter(value -> !value.isBlank());
  }

  private static Optional<Path> path(Config config, String key) {
    return text(config, key).map(String::trim).map(Path::of);
  }

  private static List<String> split(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
