package io.framewire.sources;

import io.framewire.settings.FramewireSettings;
import static io.framewire.testing.TestServer.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.framewire.server.FramewireServer;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.testing.RawWsClient;
import io.framewire.testing.StreamServers;
import io.framewire.testing.WsTestClient;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import io.framewire.pipeline.ToolRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A watcher that stops reading never slows its source or the other watchers: it reads through its own
 * dropping buffer, and after the stall timeout it is disconnected.
 */
class WatchersTest {

  /** {@code pad}: answers 64 KiB per frame, so a watcher that does not read fills its socket in a few frames. */
  static final class PadPlugin implements ToolPlugin {
    private static final String PAD = "x".repeat(64 * 1024);

    @Override
    public String id() {
      return "pad";
    }

    @Override
    public Set<String> toolIds() {
      return Set.of("pad");
    }

    @Override
    public boolean isBlocking(String toolId) {
      return false;
    }

    @Override
    public Tool create(String toolId, com.fasterxml.jackson.databind.JsonNode params) {
      return input -> Map.of("pad", PAD);
    }
  }

  @Test
  void aStuckWatcherIsDroppedFromNeverSlowsTheSourceAndIsDisconnectedAfterTheStallTimeout() throws Exception {
    List<ToolPlugin> plugins = new ArrayList<>();
    ServiceLoader.load(ToolPlugin.class).forEach(plugins::add);
    plugins.add(new PadPlugin());
    ToolRegistry tools = ToolRegistry.of(plugins);
    PipelineDefinition padded = PipelineJson.read("""
        {"id":"padded","name":"padded","nodes":[{"id":"n","plugin_id":"pad","tool_id":"pad"}],
         "edges":[],"entry_nodes":["n"],"output_nodes":["n"]}""");
    var config = ConfigFactory.parseMap(Map.of(
            "framewire.http.host", "127.0.0.1",
            "framewire.http.port", 0,
            "framewire.stream.stall-timeout-ms", 10000,
            "framewire.sources.watcher-buffer", 4))
        .withFallback(ConfigFactory.load());
    try (FramewireServer server = FramewireServer.start(FramewireSettings.from(config), tools, PipelineRegistry.of(tools, List.of(padded)));
        StreamServers.Server camera = StreamServers.ffmpegHttp(StreamServers.freePort(), 100)) {
      Api api = new Api(server.port());
      Api.Reply created = api.create(camera.url, "padded");
      assertEquals(201, created.status(), created.body());
      String id = created.json().get("id").asText();

      // Sampled before the watchers connect: every answer the reader gets is a frame processed after
      // this (the hub gives a new watcher only what comes after it joined). Sampled after the join,
      // answers already on their way to the reader would count for it but not in the difference.
      long processedAtJoin = api.source(id).get("frames_processed").asLong();
      // Reads nothing, with a 4 KiB receive window: after a few 64 KiB answers its socket is full.
      try (RawWsClient stuck = RawWsClient.connect(server.port(), "/ws/sources/" + id, Map.of(), 4096);
          WsTestClient reader = WsTestClient.connect(server.port(), "/ws/sources/" + id)) {
        assertEquals(101, stuck.handshake.status());
        await("both watchers joined", () -> api.source(id).get("watchers").asInt() == 2);

        // 300 answers (100 fps): 19 MB the stuck watcher does not read, far beyond what the hub (64
        // answers), its buffer (4) and its socket can hold; held back by it, the reader would starve.
        long previous = -1;
        for (int received = 0; received < 300; ) {
          JsonNode answer = reader.next();
          assertTrue(answer.get("frame_index").asLong() > previous);
          previous = answer.get("frame_index").asLong();
          if (answer.has("result")) {
            assertEquals(64 * 1024, answer.at("/result/pad").asText().length());
            received++;
          }
        }
        JsonNode status = api.source(id);
        // All that while the stuck watcher was still connected (its stall timeout is 10 s): had it held
        // the source back, the reader would have starved until it was disconnected.
        assertEquals(2, status.get("watchers").asInt(), status.toString());
        assertTrue(status.get("frames_processed").asLong() >= processedAtJoin + 300, status.toString());
        // The pipeline kept up with the camera: a held-back source would show as drops (about one per
        // processed frame when this was tried without the watchers' dropping buffer).
        assertTrue(status.get("frames_dropped").asLong() < status.get("frames_processed").asLong() / 2,
            status.toString());

        await("the stuck watcher is disconnected after the stall timeout",
            () -> api.source(id).get("watchers").asInt() == 1);
        JsonNode after = reader.next();
        assertTrue(after.get("frame_index").asLong() > previous, "the reader still gets answers");
      }
    }
  }
}
