package io.framewire.testing;

import com.typesafe.config.ConfigFactory;
import io.framewire.engine.Engine;
import io.framewire.server.FramewireServer;
import io.framewire.settings.FramewireSettings;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.streaming.SessionManager;
import io.framewire.api.ToolPlugin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Starts a real framewire on 127.0.0.1 and a free port, on the server's own engine (the built-in
 * tools and pipelines, {@code onnx} on {@code framewire.inference.models-dir}) plus a
 * {@link GatePlugin}, the built-in pipelines plus test ones ({@code gated}: one gate node;
 * {@code failing}: a debug/fail node; {@code hanging}: a node that never returns; {@code counting}: a stateful node).
 * With {@code framewire.pipelines.dir} set, that directory's pipelines too (editable, hot-reloaded).
 */
public final class TestServer implements AutoCloseable {

  public final GatePlugin gate = new GatePlugin();
  public final FramewireServer server;

  public static TestServer start() {
    return start(Map.of());
  }

  /** @param settings overrides of application.conf paths, e.g. {@code framewire.stream.max-sessions} */
  public static TestServer start(Map<String, Object> settings) {
    return new TestServer(settings, List.of(), List.of());
  }

  /**
   * With {@code extraPlugins} next to the discovered ones, e.g. an {@code OnnxPlugin} over the test
   * models (the server then owns, starts and closes its model registry).
   */
  public static TestServer start(Map<String, Object> settings, List<ToolPlugin> extraPlugins) {
    return new TestServer(settings, extraPlugins, List.of());
  }

  /**
   * A server with {@code plugins} added to the ServiceLoader ones and {@code pipelines} added to the
   * built-in and classpath ones (besides the test pipelines above).
   */
  public static TestServer start(Map<String, Object> settings, List<ToolPlugin> plugins, List<PipelineDefinition> pipelines) {
    return new TestServer(settings, plugins, pipelines);
  }

  private TestServer(Map<String, Object> settings, List<ToolPlugin> extraPlugins, List<PipelineDefinition> extraPipelines) {
    Map<String, Object> overrides = new java.util.HashMap<>(settings);
    overrides.putIfAbsent("framewire.http.host", "127.0.0.1");
    overrides.putIfAbsent("framewire.http.port", 0);
    // Tests that want the event store turn it on with a data-dir of their own (a temp directory).
    overrides.putIfAbsent("framewire.events.enabled", false);
    FramewireSettings config = FramewireSettings.from(ConfigFactory.parseMap(overrides).withFallback(ConfigFactory.load()));
    List<ToolPlugin> plugins = new ArrayList<>();
    plugins.add(gate);
    plugins.addAll(extraPlugins);
    List<PipelineDefinition> pipelines = new ArrayList<>();
    pipelines.add(single("gated", "test", "gate", "{}"));
    pipelines.add(single("failing", "debug", "fail", "{\"message\":\"camera lens cap is on\"}"));
    pipelines.add(single("hanging", "test", "hang", "{}"));
    pipelines.add(single("counting", "test", "count", "{}"));
    pipelines.addAll(extraPipelines);
    // The server's own engine factory: the same tools (onnx included), models and pipelines, plus these.
    server = FramewireServer.start(config, Engine.create(config.engine(), plugins, pipelines));
  }

  private static PipelineDefinition single(String id, String plugin, String tool, String params) {
    return PipelineJson.read("""
        {"id":"%s","name":"%s","nodes":[{"id":"n","plugin_id":"%s","tool_id":"%s","params":%s}],
         "edges":[],"entry_nodes":["n"],"output_nodes":["n"]}""".formatted(id, id, plugin, tool, params));
  }

  public int port() {
    return server.port();
  }

  public WsTestClient stream(String pipelineId) {
    return WsTestClient.stream(port(), pipelineId);
  }

  /**
   * Overloads a {@code gated} session deterministically: frame 0 enters the held pipeline, frames
   * 1..n-1 arrive behind it (and are all in the stream's slot before anything moves), then the gate
   * lets two frames through: frame 0 and the newest one. Counts assume a fresh server.
   */
  public void sendWhilePipelineHeld(WsTestClient client, byte[] jpeg, int frames) {
    client.sendBinary(jpeg);
    try {
      gate.awaitEntered();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    for (int i = 1; i < frames; i++) {
      client.sendBinary(jpeg);
    }
    await(frames + " frames received", () -> server.metrics().framesReceived.get() == frames);
    gate.release(2);
  }

  /** Sessions the SessionManager holds now (an ask, for tests only). */
  public int activeSessions() {
    return AskPattern.<SessionManager.Command, Integer>ask(server.sessions(), SessionManager.GetActiveCount::new,
        Duration.ofSeconds(5), server.system().scheduler()).toCompletableFuture().join();
  }

  /** Polls a condition that another thread makes true (never a fixed sleep); fails after 20 s. */
  public static void await(String what, BooleanSupplier condition) {
    await(() -> what, Duration.ofSeconds(20), condition);
  }

  /** Waits up to {@code timeout} until {@code condition} holds; {@code what} (read on failure) says what for. */
  public static void await(java.util.function.Supplier<String> what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what.get());
      }
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    }
  }

  @Override
  public void close() {
    gate.unhang();
    gate.release(1000);
    server.close();
  }
}
