package io.framewire.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.server.FramewireServer;
import io.framewire.settings.FramewireSettings;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Overload without casualties, deterministically: a model that takes 3 frames (one run held by the
 * test, one queued, one being batched) and 9 sessions on it, three times what it can hold. While
 * the run is held, every frame of the sessions the full queue refuses is answered {@code dropped}
 * with its own index and those sessions are told {@code slow_down}; once runs go on, all sessions
 * stream on together. No session is closed, no error is sent, every frame is answered exactly once.
 * (The same with timing, 60 s at three times the model's capacity: scripts/bench/overload_model.sh.)
 */
class OverloadWithoutCasualtiesTest {

  static final int SESSIONS = 9;
  static final int HELD_FRAMES = 20;
  static final int LATER_FRAMES = 20;

  @Test
  void three_times_more_sessions_than_the_model_holds_all_answered_none_closed() throws Exception {
    ModelBatchingTest.GatedExecutor gate = new ModelBatchingTest.GatedExecutor();
    ModelRegistry models = ModelRegistry.create(
        TestModels.settings(TestModels.dir(), Map.of("max-batch", 1, "queue-size", 1, "concurrent-runs", 1)), gate);
    ToolRegistry tools = ToolRegistry.fromClasspath(List.of(new OnnxPlugin(models)));
    PipelineRegistry pipelines = PipelineRegistry.of(tools, List.of(PipelineJson.read("""
        {"id":"colour","name":"colour","nodes":[{"id":"objects","plugin_id":"onnx","tool_id":"classify",
          "params":{"model":"classify_means.onnx","top_k":1}}],"edges":[],"entry_nodes":["objects"],"output_nodes":["objects"]}""")));
    Config config = ConfigFactory.parseMap(Map.of("framewire.http.host", "127.0.0.1", "framewire.http.port", 0))
        .withFallback(ConfigFactory.load());
    FramewireServer server = FramewireServer.start(FramewireSettings.from(config), tools, pipelines);
    byte[] red = TestJpegs.solid(40, 40, Color.RED);
    List<WsTestClient> accepted = new ArrayList<>();
    List<WsTestClient> refused = new ArrayList<>();
    try {
      LoadedModel model = models.load("classify_means.onnx");
      for (int i = 0; i < SESSIONS; i++) {
        WsTestClient client = WsTestClient.stream(server.port(), "colour");
        int waitingBefore = model.waiting();
        client.sendBinary(red);
        if (i == 0) {
          gate.awaitTaskWaiting(); // the first frame's run is held from now on
          accepted.add(client);
          continue;
        }
        int n = i;
        TestServer.await(() -> "session " + n + "'s frame is queued or answered", Duration.ofSeconds(20),
            () -> model.waiting() != waitingBefore || !client.pending().isEmpty());
        (model.waiting() > waitingBefore ? accepted : refused).add(client);
      }
      assertTrue(accepted.size() >= 3 && accepted.size() <= 5, "accepted " + accepted.size());

      // The run is still held: the refused sessions' frames are all dropped, and they are told to slow down.
      for (WsTestClient client : refused) {
        int slowDowns = 0;
        for (int frame = 0; frame < HELD_FRAMES; frame++) {
          if (frame > 0) {
            client.sendBinary(red);
          }
          WsTestClient.Answer answer = client.nextAnswer();
          while (answer.isSlowDown()) {
            slowDowns++;
            answer = client.nextAnswer();
          }
          assertTrue(answer.isDropped(), answer.toString());
          assertEquals(frame, answer.frameIndex());
        }
        if (slowDowns == 0) { // sent after the tenth drop, it may come after the last answer
          assertTrue(client.nextAnswer().isSlowDown());
          slowDowns = 1;
        }
        assertEquals(1, slowDowns, "one slow_down per overload episode");
      }

      // Runs go on: every session streams on, closed loop, each frame answered with its index.
      gate.permits.release(1_000_000);
      List<CompletableFuture<int[]>> streams = new ArrayList<>();
      for (WsTestClient client : accepted) {
        streams.add(CompletableFuture.supplyAsync(() -> stream(client, 0, 1 + LATER_FRAMES, red)));
      }
      for (WsTestClient client : refused) {
        streams.add(CompletableFuture.supplyAsync(() -> stream(client, HELD_FRAMES, LATER_FRAMES, red)));
      }
      int results = 0;
      for (CompletableFuture<int[]> stream : streams) {
        int[] counts = stream.get(120, TimeUnit.SECONDS);
        results += counts[0];
      }
      assertTrue(results >= accepted.size(), "the held frames got their results: " + results);
      for (WsTestClient client : accepted) {
        assertFalse(client.isClosed());
      }
      for (WsTestClient client : refused) {
        assertFalse(client.isClosed());
      }
      assertEquals(0, model.waiting());
    } finally {
      gate.permits.release(1_000_000);
      accepted.forEach(WsTestClient::close);
      refused.forEach(WsTestClient::close);
      server.close();
      gate.threads.shutdownNow();
    }
  }

  /**
   * Reads the answer to frame {@code first} (already sent when {@code first} is 0 on an accepted
   * session: it is then the held frame) and sends and reads the rest, one at a time.
   *
   * @return {results, dropped}
   */
  private static int[] stream(WsTestClient client, int first, int frames, byte[] jpeg) {
    int[] counts = new int[2];
    for (int frame = first; frame < first + frames; frame++) {
      if (frame > 0) {
        client.sendBinary(jpeg);
      }
      WsTestClient.Answer answer = client.nextAnswer();
      while (answer.isSlowDown()) {
        answer = client.nextAnswer();
      }
      assertFalse(answer.isError(), answer.toString());
      assertEquals(frame, answer.frameIndex(), answer.toString());
      if (answer.isResult()) {
        assertEquals("red", answer.result().at("/classes/0/label").asText());
        counts[0]++;
      } else {
        assertTrue(answer.isDropped(), answer.toString());
        counts[1]++;
      }
    }
    return counts;
  }
}
