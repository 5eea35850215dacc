package io.framewire.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.AsyncTool;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.RgbImage;
import io.framewire.engine.DagPipelineService;
import io.framewire.engine.SessionTools;
import io.framewire.metrics.StreamMetrics;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.streaming.Answer;
import io.framewire.streaming.StreamError;
import io.framewire.video.VideoFilePipelineService;
import io.framewire.video.VideoFrame;
import io.framewire.video.VideoInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import io.framewire.inference.ModelBusyException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A live source's frame loop alone ({@link SourceStream#frameLoop}), between a test publisher of
 * decoded camera frames and a test subscriber of answers, on the real engine: the camera's frames go
 * through the session's stages ({@code LatestFrameWins}, {@code RunPipelineFlow} and its one mapping
 * of failures), and its counters see each batch.
 */
class SourceFrameLoopTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  /** Plugin {@code cam}, tool {@code held}: each frame's run completes when the test completes it. */
  static final class HeldPlugin implements ToolPlugin {
    final BlockingQueue<Long> calls = new LinkedBlockingQueue<>();
    final Map<Long, CompletableFuture<Map<String, Object>>> runs = new ConcurrentHashMap<>();

    @Override
    public String id() {
      return "cam";
    }

    @Override
    public Set<String> toolIds() {
      return Set.of("held");
    }

    @Override
    public Tool create(String toolId, JsonNode params) {
      return (AsyncTool) input -> {
        long index = (Long) input.get("frame_index");
        CompletableFuture<Map<String, Object>> run = runs.computeIfAbsent(index, i -> new CompletableFuture<>());
        calls.add(index); // announced only once the test can find the run
        return run;
      };
    }

    /** Waits until the loop has run the pipeline on {@code frameIndex}, then returns its run. */
    CompletableFuture<Map<String, Object>> awaitCall(long frameIndex) throws InterruptedException {
      assertEquals(frameIndex, calls.poll(5, TimeUnit.SECONDS), "pipeline call");
      return runs.get(frameIndex);
    }
  }

  /** What the loop tells the source actor. */
  static final class Heard implements SourceStream.Listener {
    final BlockingQueue<String> failures = new LinkedBlockingQueue<>();

    @Override
    public void opened(VideoInfo info) {}

    @Override
    public void pipelineFailed(String detail) {
      failures.add(detail);
    }

    @Override
    public void ended(Throwable failure) {}

    @Override
    public void switched(int from, int to) {}

    @Override
    public void switchFailed(int running, int failed, String detail) {}

    @Override
    public void deleted(int running) {}
  }

  final HeldPlugin plugin = new HeldPlugin();
  final ToolRegistry tools = ToolRegistry.of(plugin);
  final VideoFilePipelineService videos = new VideoFilePipelineService(new DagPipelineService(
      PipelineRegistry.of(tools, List.of(PipelineJson.read("{\"id\":\"cam\",\"name\":\"cam\",\"nodes\":[{\"id\":\"n\","
          + "\"plugin_id\":\"cam\",\"tool_id\":\"held\"}],\"edges\":[],\"entry_nodes\":[\"n\"],\"output_nodes\":[\"n\"]}"))),
      tools, Runnable::run));
  final SessionTools session = videos.openSession("cam");
  final SourceStats stats = new SourceStats(new SourceSpec("s", "http://camera", "cam"));
  final StreamMetrics metrics = new StreamMetrics(false);
  final Heard heard = new Heard();

  @AfterEach
  void closeSession() {
    session.close();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  Pair<TestPublisher.Probe<VideoFrame>, TestSubscriber.Probe<Answer>> loop(Duration frameTimeout) {
    return TestSource.<VideoFrame>create(testKit.system())
        .via(SourceStream.frameLoop(new LivePipeline(videos, session, Runnable::run, heard), frameTimeout, new SourceStream.Counting(stats, metrics, heard)))
        .toMat(TestSink.<Answer>create(testKit.system()), Pair::create)
        // One frame asked for at a time: a request seen upstream means the frame before it is in the loop.
        .withAttributes(Attributes.inputBuffer(1, 1))
        .run(testKit.system());
  }

  static VideoFrame frame(long index) {
    return new VideoFrame(index, DecodedFrame.ofRgb(new RgbImage(2, 2, new byte[12])), index * 40_000, index * 40);
  }

  @Test
  void framesDecodedWhileThePipelineIsBusyAreSupersededByTheNewestAndCounted() throws Exception {
    var probes = loop(Duration.ofSeconds(5));
    probes.second().request(20);
    probes.first().sendNext(frame(0));
    CompletableFuture<Map<String, Object>> first = plugin.awaitCall(0);
    for (int i = 1; i <= 5; i++) {
      probes.first().sendNext(frame(i)); // waits for demand: the slot keeps taking frames while busy
    }
    probes.first().expectRequest(); // the slot asks for more: frame 5 is in it
    assertNull(plugin.calls.poll(100, TimeUnit.MILLISECONDS), "one frame at a time, never a queue");
    first.complete(Map.of("seen", 0));
    assertEquals(new Answer.Result(0, Map.of("seen", 0)), probes.second().expectNext());

    plugin.awaitCall(5).complete(Map.of("seen", 5)); // the newest won; 1..4 never ran
    for (long dropped = 1; dropped <= 4; dropped++) {
      assertEquals(new Answer.Dropped(dropped), probes.second().expectNext());
    }
    assertEquals(new Answer.Result(5, Map.of("seen", 5)), probes.second().expectNext());
    assertEquals(2, stats.processed.get());
    assertEquals(4, stats.dropped.get());
    assertEquals(2.0, metrics.sourceFramesProcessed.get());
    assertEquals(4.0, metrics.sourceFramesDropped.get());
    assertNull(heard.failures.poll());
  }

  @Test
  void aToolsFailureIsAPipelineFailureNamingTheFrameAndEndsTheConnection() throws Exception {
    var probes = loop(Duration.ofSeconds(5));
    probes.second().request(20);
    probes.first().sendNext(frame(7));
    CompletableFuture<Map<String, Object>> held = plugin.awaitCall(7);
    probes.first().sendNext(frame(8)).sendNext(frame(9)).expectRequest(); // 8 and 9 wait in the slot
    held.complete(Map.of());
    assertEquals(new Answer.Result(7, Map.of()), probes.second().expectNext());

    plugin.awaitCall(9).completeExceptionally(new IllegalStateException("lens cap on"));
    assertEquals(new Answer.Dropped(8), probes.second().expectNext());
    StreamError error = StreamError.pipelineFailure("frame 9: node 'n' failed: lens cap on");
    assertEquals(error, probes.second().expectNext());
    probes.second().expectComplete();
    probes.first().expectCancellation();
    assertEquals(error.detail(), heard.failures.poll(5, TimeUnit.SECONDS), "the source actor hears why");
    assertEquals(1, stats.processed.get());
    assertEquals(1, stats.dropped.get(), "frames dropped before a failure are counted too");
  }

  @Test
  void aFrameABusyModelRefusesIsDroppedAndTheConnectionGoesOn() throws Exception {
    var probes = loop(Duration.ofSeconds(5));
    probes.second().request(20);
    probes.first().sendNext(frame(7));
    CompletableFuture<Map<String, Object>> held = plugin.awaitCall(7);
    probes.first().sendNext(frame(8)).sendNext(frame(9)).expectRequest(); // 8 and 9 wait in the slot
    held.complete(Map.of());
    assertEquals(new Answer.Result(7, Map.of()), probes.second().expectNext());

    plugin.awaitCall(9).completeExceptionally(new ModelBusyException("model 'm.onnx' is busy: its queue is full"));
    assertEquals(new Answer.Dropped(8), probes.second().expectNext());
    assertEquals(new Answer.Dropped(9), probes.second().expectNext());
    probes.first().sendNext(frame(10));
    plugin.awaitCall(10).complete(Map.of("seen", 10));
    assertEquals(new Answer.Result(10, Map.of("seen", 10)), probes.second().expectNext());
    assertEquals(2, stats.processed.get());
    assertEquals(2, stats.dropped.get(), "the refused frame counts as dropped");
    assertEquals(2.0, metrics.sourceFramesDropped.get());
    assertNull(heard.failures.poll(), "no failure: the connection goes on");
  }

  @Test
  void aRunOverTheFrameTimeoutIsAPipelineFailure() throws Exception {
    var probes = loop(Duration.ofMillis(200));
    probes.second().request(20);
    probes.first().sendNext(frame(3));
    plugin.awaitCall(3); // and never completed
    assertEquals(StreamError.pipelineFailure("frame 3 took longer than 200 ms (STREAM_FRAME_TIMEOUT_MS)"),
        probes.second().expectNext(Duration.ofSeconds(3)));
    probes.second().expectComplete();
  }
}
