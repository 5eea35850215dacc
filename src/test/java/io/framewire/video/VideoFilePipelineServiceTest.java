package io.framewire.video;

import io.framewire.engine.DagPipelineService;
import io.framewire.engine.SessionTools;
import io.framewire.pipeline.FakePlugin;
import io.framewire.pipeline.store.PipelineRegistry;
import static io.framewire.pipeline.TestPipelines.await;
import static io.framewire.pipeline.TestPipelines.node;
import static io.framewire.pipeline.TestPipelines.pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.pipeline.ToolRegistry;
import io.framewire.tools.debug.DebugPlugin;
import io.framewire.api.FrameTime;
import io.framewire.api.image.DecodedFrame;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VideoFilePipelineServiceTest {

  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void runOnFrameHandsTheToolsFrameIndexAsLongAndTheImageBytes() throws Exception {
    byte[] frame = {1, 2, 3};
    AtomicReference<Map<String, Object>> seen = new AtomicReference<>();
    var plugin = new FakePlugin("spy").tool("spy", input -> {
      seen.set(input);
      return Map.of("ok", true);
    });
    ToolRegistry tools = ToolRegistry.of(plugin);
    var spy = pipeline("spy", List.of(node("spy", "spy", "spy")), List.of(), List.of("spy"), List.of("spy"));
    var frames = new VideoFilePipelineService(
        new DagPipelineService(PipelineRegistry.of(tools, List.of(spy)), tools, executor));

    long before = System.currentTimeMillis();
    assertEquals(Map.of("ok", true), await(frames.runOnFrame("spy", 42, frame)));
    assertEquals(Set.of("frame_index", FrameTime.KEY, "image_bytes", DecodedFrame.KEY), seen.get().keySet());
    long time = (Long) seen.get().get(FrameTime.KEY);
    assertTrue(time >= before && time <= System.currentTimeMillis(), "a client's frame is timed when received");
    assertEquals(Long.class, seen.get().get("frame_index").getClass());
    assertSame(frame, seen.get().get("image_bytes"));
    assertSame(frame, ((DecodedFrame) seen.get().get(DecodedFrame.KEY)).jpeg(), "the shared frame wraps the same bytes");

    try (SessionTools session = frames.openSession("spy")) {
      await(frames.runOnFrame(session, 43, frame));
    }
    assertEquals(43L, seen.get().get("frame_index"));
  }

  @Test
  void echoBuiltInOverFramesNeverReturnsTheImageBytes() throws Exception {
    ToolRegistry tools = ToolRegistry.fromClasspath(); // the built-ins need every built-in plugin
    var frames = new VideoFilePipelineService(
        new DagPipelineService(PipelineRegistry.load(tools, Optional.empty()), tools, executor));
    Map<String, Object> result = await(frames.runOnFrame("echo", 7, new byte[1024]));
    assertEquals(Map.of("frame_index", 7L, "bytes", 1024), result);
  }

  @Test
  void isValidPipelineDelegates() {
    ToolRegistry tools = ToolRegistry.of(new DebugPlugin());
    var echo = pipeline("echo", List.of(node("e", "debug", "echo")), List.of(), List.of("e"), List.of("e"));
    var frames = new VideoFilePipelineService(
        new DagPipelineService(PipelineRegistry.of(tools, List.of(echo)), tools, executor));
    assertTrue(frames.isValidPipeline("echo"));
    assertFalse(frames.isValidPipeline("motion"));
    assertFalse(frames.isValidPipeline(null));
  }
}
