package io.framewire.testing;

import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.api.ToolPlugin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that runs a real, in-process framewire on 127.0.0.1 and a free port for a test
 * class (as a {@code static} field) or for each test (as an instance field), and stops it after.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FramewireExtension framewire = FramewireExtension.create()
 *     .withPlugins(new MyPlugin())
 *     .withPipelines("""
 *         {"id":"mine","name":"Mine","nodes":[{"id":"n","plugin_id":"my","tool_id":"t"}],
 *          "edges":[],"entry_nodes":["n"],"output_nodes":["n"]}""");
 *
 * @Test void answers() {
 *   try (WsTestClient client = framewire.stream("mine")) {
 *     JsonNode result = client.sendBinary(TestJpegs.scene(320, 240, 1)).nextAnswer().result();
 *   }
 * }
 * }</pre>
 *
 * <p>The server has the built-in tools and pipelines, every {@code ToolPlugin} and
 * {@code pipelines/*.json} on the test classpath, the given ones, and the test tools of
 * {@link GatePlugin} (pipelines {@code gated}, {@code hanging}, {@code counting}; {@link #gate()}
 * controls them).
 */
public final class FramewireExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private final List<ToolPlugin> plugins = new ArrayList<>();
  private final List<PipelineDefinition> pipelines = new ArrayList<>();
  private final Map<String, Object> settings = new LinkedHashMap<>();
  private TestServer server;
  private boolean perClass;

  private FramewireExtension() {}

  public static FramewireExtension create() {
    return new FramewireExtension();
  }

  /** Plugins added to the ServiceLoader ones (instances: the test can keep a handle on them). */
  public FramewireExtension withPlugins(ToolPlugin... more) {
    plugins.addAll(List.of(more));
    return this;
  }

  /** Pipeline definitions as JSON (docs/pipelines.md), validated when the server starts. */
  public FramewireExtension withPipelines(String... json) {
    for (String definition : json) {
      pipelines.add(PipelineJson.read(definition));
    }
    return this;
  }

  /** A configuration override, e.g. {@code withSetting("framewire.stream.max-sessions", 2)}. */
  public FramewireExtension withSetting(String path, Object value) {
    settings.put(path, value);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    perClass = true;
    server = TestServer.start(settings, plugins, pipelines);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!perClass) {
      server = TestServer.start(settings, plugins, pipelines);
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      stop();
    }
  }

  private void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  private TestServer running() {
    if (server == null) {
      throw new IllegalStateException("the server runs only during a test (register the extension with @RegisterExtension)");
    }
    return server;
  }

  public int port() {
    return running().port();
  }

  /** A WebSocket client streaming to {@code pipelineId}; close it at the end of the test. */
  public WsTestClient stream(String pipelineId) {
    return running().stream(pipelineId);
  }

  /** The gate tool, for deterministic drop and slow_down tests (pipeline {@code gated}). */
  public GatePlugin gate() {
    return running().gate;
  }

  /** The running server, for what the shortcuts above do not cover. */
  public TestServer server() {
    return running();
  }
}
