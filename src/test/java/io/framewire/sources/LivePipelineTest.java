package io.framewire.sources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * A live camera's frame loop following edits of its pipeline ({@link LivePipeline}), on the real
 * engine and registry: an edit takes effect on the next frame, never under a running one, and the
 * stateful counter's count goes on ({@code continueFrom}); a deleted pipeline or a version that cannot
 * be opened leaves the camera on the version it runs, told once.
 */
class LivePipelineTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  /**
   * Plugin {@code live}: {@code count} (stateful) answers {@code {count, label}} and continues its
   * predecessor's count; {@code held} completes each frame's run when the test completes it.
   */
  static final class LivePlugin implements ToolPlugin {
    final AtomicBoolean failCreate = new AtomicBoolean();
    final List<String> closed = new CopyOnWriteArrayList<>();
    final BlockingQueue<Long> calls = new LinkedBlockingQueue<>();
    final Map<Long, CompletableFuture<Map<String, Object>>> runs = new ConcurrentHashMap<>();

    @Override
    public String id() {
      return "live";
    }

    @Override
    public Set<String> toolIds() {
      return Set.of("count", "held");
    }

    @Override
    public boolean isStateful(String toolId) {
      return toolId.equals("count");
    }

    @Override
    public Tool create(String toolId, JsonNode params) {
      if (toolId.equals("held")) {
        return (AsyncTool) input -> {
          long index = (Long) input.get("frame_index");
          CompletableFuture<Map<String, Object>> run = runs.computeIfAbsent(index, i -> new CompletableFuture<>());
          calls.add(index);
          return run;
        };
      }
      if (failCreate.get()) {
        throw new IllegalStateException("the counter's licence expired");
      }
      return new Counter(params.path("label").asText(), closed);
    }

    CompletableFuture<Map<String, Object>> awaitCall(long frameIndex) throws InterruptedException {
      assertEquals(frameIndex, calls.poll(5, TimeUnit.SECONDS), "pipeline call");
      return runs.get(frameIndex);
    }
  }

  /** A frame counter answering {@code {count, label}}; continueFrom takes over its predecessor's count. */
  static final class Counter implements Tool {
    final String label;
    final List<String> closed;
    long count;

    Counter(String label, List<String> closed) {
      this.label = label;
      this.closed = closed;
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> input) {
      return Map.of("count", ++count, "label", label);
    }

    @Override
    public void continueFrom(Tool previous) {
      count = ((Counter) previous).count;
    }

    @Override
    public void close() {
      closed.add(label + "@" + count);
    }
  }

  /** What the loop tells the source actor, in order. */
  static final class Heard implements SourceStream.Listener {
    final BlockingQueue<String> told = new LinkedBlockingQueue<>();

    @Override
    public void opened(VideoInfo info) {}

    @Override
    public void pipelineFailed(String detail) {
      told.add("failed: " + detail);
    }

    @Override
    public void ended(Throwable failure) {}

    @Override
    public void switched(int from, int to) {
      told.add("switched " + from + " -> " + to);
    }

    @Override
    public void switchFailed(int running, int failed, String detail) {
      told.add("version " + failed + " failed, running " + running + ": " + detail);
    }

    @Override
    public void deleted(int running) {
      told.add("deleted, running " + running);
    }
  }

  final LivePlugin plugin = new LivePlugin();
  final ToolRegistry tools = ToolRegistry.of(plugin);
  final PipelineRegistry registry = PipelineRegistry.of(tools, List.of());
  final VideoFilePipelineService videos =
      new VideoFilePipelineService(new DagPipelineService(registry, tools, Runnable::run));
  final StreamMetrics metrics = new StreamMetrics(false);
  final List<LivePipeline> opened = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeSessions() {
    opened.forEach(LivePipeline::close);
    assertEquals(0, videos.pipelines().openStatefulTools(), "every counter closed");
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** {@code cam}: a counter labelled {@code label}, after a held node if {@code held}. */
  static String cam(String label, boolean held) {
    String count = "{\"id\":\"c\",\"plugin_id\":\"live\",\"tool_id\":\"count\",\"params\":{\"label\":\"" + label + "\"}}";
    return held
        ? "{\"id\":\"cam\",\"name\":\"cam\",\"nodes\":[{\"id\":\"h\",\"plugin_id\":\"live\",\"tool_id\":\"held\"}," + count
            + "],\"edges\":[{\"from_node\":\"h\",\"to_node\":\"c\"}],\"entry_nodes\":[\"h\"],\"output_nodes\":[\"c\"]}"
        : "{\"id\":\"cam\",\"name\":\"cam\",\"nodes\":[" + count + "],\"edges\":[],\"entry_nodes\":[\"c\"],"
            + "\"output_nodes\":[\"c\"]}";
  }

  void put(String json) {
    registry.put("cam", PipelineJson.read(json));
  }

  record Loop(TestPublisher.Probe<VideoFrame> frames, TestSubscriber.Probe<Answer> answers, LivePipeline pipeline,
      Heard heard) {

    Answer run(long index) {
      frames.sendNext(frame(index));
      return answers.expectNext();
    }
  }

  Loop loop() {
    return loop(videos.openSession("cam"), Duration.ofSeconds(5));
  }

  /** A connection's frame loop on {@code session}, as {@link SourceStream#start} builds it. */
  Loop loop(SessionTools session, Duration frameTimeout) {
    Heard heard = new Heard();
    LivePipeline pipeline = new LivePipeline(videos, session, Runnable::run, heard);
    opened.add(pipeline);
    SourceStats stats = new SourceStats(new SourceSpec("s", "http://camera", "cam"));
    Pair<TestPublisher.Probe<VideoFrame>, TestSubscriber.Probe<Answer>> probes = TestSource.<VideoFrame>create(testKit.system())
        .via(SourceStream.frameLoop(pipeline, frameTimeout, new SourceStream.Counting(stats, metrics, heard)))
        .toMat(TestSink.<Answer>create(testKit.system()), Pair::create)
        .withAttributes(Attributes.inputBuffer(1, 1))
        .run(testKit.system());
    probes.second().request(100);
    return new Loop(probes.first(), probes.second(), pipeline, heard);
  }

  /** The camera dropped: the connection's stream ends, as {@link SourceStream#start}'s end does. */
  static void drop(Loop cam) {
    cam.frames().sendComplete();
    cam.answers().expectComplete();
    cam.pipeline().end();
  }

  static VideoFrame frame(long index) {
    return new VideoFrame(index, DecodedFrame.ofRgb(new RgbImage(2, 2, new byte[12])), index * 40_000, index * 40);
  }

  static Answer result(long index, long count, String label) {
    return new Answer.Result(index, Map.of("count", count, "label", label));
  }

  @Test
  void anEditTakesEffectOnTheNextFrameAndTheCountGoesOn() throws Exception {
    put(cam("before", false));
    Loop cam = loop();
    assertEquals(result(0, 1, "before"), cam.run(0));
    assertEquals(result(1, 2, "before"), cam.run(1));
    put(cam("after", false));
    plugin.closed.clear(); // validation probes
    assertEquals(result(2, 3, "after"), cam.run(2), "the new version's params, the old count");
    assertEquals("switched 1 -> 2", cam.heard().told.poll());
    assertEquals(List.of("before@2"), plugin.closed, "the old counter closed after handing over");
    assertEquals(2, cam.pipeline().session().version());
    assertEquals(result(3, 4, "after"), cam.run(3));
    assertNull(cam.heard().told.poll(), "told once");
  }

  @Test
  void anEditWhileAFrameRunsTakesEffectAfterIt() throws Exception {
    put(cam("before", true));
    Loop cam = loop();
    cam.frames().sendNext(frame(0));
    CompletableFuture<Map<String, Object>> held = plugin.awaitCall(0);
    put(cam("after", true)); // while frame 0 is inside version 1's tools
    held.complete(Map.of());
    assertEquals(result(0, 1, "before"), cam.answers().expectNext(), "the running frame finishes on its version");

    cam.frames().sendNext(frame(1));
    plugin.awaitCall(1).complete(Map.of());
    assertEquals(result(1, 2, "after"), cam.answers().expectNext());
    assertEquals("switched 1 -> 2", cam.heard().told.poll());
  }

  @Test
  void twoCamerasOnOnePipelineEachKeepTheirOwnCount() {
    put(cam("before", false));
    Loop door = loop();
    Loop yard = loop();
    for (long i = 0; i < 3; i++) {
      door.run(i);
    }
    yard.run(0);
    put(cam("after", false));
    assertEquals(result(3, 4, "after"), door.run(3));
    assertEquals(result(1, 2, "after"), yard.run(1));
  }

  @Test
  void aDeletedPipelineLeavesTheCameraOnItsVersionUntilItIsBack() {
    put(cam("before", false));
    Loop cam = loop();
    cam.run(0);
    registry.delete("cam");
    assertEquals(result(1, 2, "before"), cam.run(1));
    assertEquals(result(2, 3, "before"), cam.run(2));
    assertEquals("deleted, running 1", cam.heard().told.poll());
    assertNull(cam.heard().told.poll(), "told once");

    put(cam("back", false)); // version 1 again: another one
    assertEquals(result(3, 4, "back"), cam.run(3));
    assertEquals("switched 1 -> 1", cam.heard().told.poll());
  }

  @Test
  void aVersionThatFailsToOpenIsToldOnceAndTheCameraGoesOnWithTheOld() {
    put(cam("before", false));
    Loop cam = loop();
    cam.run(0);
    put(cam("broken", false));
    plugin.failCreate.set(true); // validated; its tools cannot be made now
    assertEquals(result(1, 2, "before"), cam.run(1));
    assertEquals(result(2, 3, "before"), cam.run(2));
    assertEquals("version 2 failed, running 1: the counter's licence expired", cam.heard().told.poll());
    assertNull(cam.heard().told.poll(), "not tried again on every frame");

    plugin.failCreate.set(false);
    put(cam("fixed", false));
    assertEquals(result(3, 4, "fixed"), cam.run(3));
    assertEquals("switched 1 -> 3", cam.heard().told.poll());
    assertEquals(3, cam.pipeline().session().version());
  }

  @Test
  void aReconnectContinuesTheEndedConnectionsSessionAndTheCountGoesOn() {
    put(cam("before", false));
    Loop first = loop();
    SessionTools session = first.pipeline().session();
    assertEquals(result(0, 1, "before"), first.run(0));
    assertEquals(result(1, 2, "before"), first.run(1));
    drop(first);
    plugin.closed.clear(); // validation probes
    SessionTools kept = first.pipeline().takeIdle();
    assertSame(session, kept, "the same session, as is: same version");
    assertNull(first.pipeline().takeIdle(), "handed over once");
    first.pipeline().close();
    assertEquals(List.of(), plugin.closed, "handed over: the ended connection closes nothing");

    Loop second = loop(kept, Duration.ofSeconds(5));
    assertEquals(result(2, 3, "before"), second.run(2));
    assertEquals(result(3, 4, "before"), second.run(3));
    assertNull(second.heard().told.poll(), "no switch");
    second.pipeline().close();
    assertEquals(List.of("before@4"), plugin.closed, "closed once, by its last owner");
  }

  @Test
  void aReconnectAfterAnEditMovesTheKeptSessionToTheNewVersionOnItsFirstFrame() {
    put(cam("before", false));
    Loop first = loop();
    first.run(0);
    first.run(1);
    drop(first);
    put(cam("after", false)); // while the camera is away
    plugin.closed.clear(); // validation probes
    Loop second = loop(first.pipeline().takeIdle(), Duration.ofSeconds(5));
    assertEquals(result(2, 3, "after"), second.run(2), "the new version's params, the old count");
    assertEquals("switched 1 -> 2", second.heard().told.poll());
    assertEquals(List.of("before@2"), plugin.closed, "the old counter closed after handing over");
    assertEquals(2, second.pipeline().session().version());
  }

  @Test
  void aRunStillInsideTheToolsWhenTheConnectionEndedKeepsTheSessionFromBeingHandedOverUntilItSettles()
      throws Exception {
    put(cam("before", true));
    Loop first = loop(videos.openSession("cam"), Duration.ofMillis(200));
    first.frames().sendNext(frame(0));
    CompletableFuture<Map<String, Object>> held = plugin.awaitCall(0);
    // The frame timeout ends the connection while frame 0 is still inside the tools.
    assertEquals(StreamError.pipelineFailure("frame 0 took longer than 200 ms (STREAM_FRAME_TIMEOUT_MS)"),
        first.answers().expectNext(Duration.ofSeconds(3)));
    first.answers().expectComplete();
    first.pipeline().end();
    assertNull(first.pipeline().takeIdle(), "a run is inside its tools");

    held.complete(Map.of()); // the late run settles, counted
    SessionTools kept = first.pipeline().takeIdle();
    assertSame(first.pipeline().session(), kept);
    Loop second = loop(kept, Duration.ofSeconds(5));
    second.frames().sendNext(frame(1));
    plugin.awaitCall(1).complete(Map.of());
    assertEquals(result(1, 2, "before"), second.answers().expectNext());
  }

  @Test
  void closingWhileARunIsInsideClosesTheToolsOnceItSettled() throws Exception {
    put(cam("before", true));
    Loop cam = loop();
    cam.frames().sendNext(frame(0));
    CompletableFuture<Map<String, Object>> held = plugin.awaitCall(0);
    plugin.closed.clear(); // validation probes
    cam.pipeline().close(); // the source is deleted
    assertEquals(List.of(), plugin.closed, "never under a running tool");
    assertNull(cam.pipeline().takeIdle(), "closed: nothing to hand over");
    held.complete(Map.of());
    assertEquals(result(0, 1, "before"), cam.answers().expectNext());
    assertEquals(List.of("before@1"), plugin.closed);
    cam.pipeline().close();
    assertEquals(List.of("before@1"), plugin.closed, "once");
  }
}
