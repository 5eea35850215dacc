package io.framewire.video;

import io.framewire.engine.DagPipelineService;
import io.framewire.engine.FrameFailedException;
import io.framewire.engine.FrameResult;
import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.pipeline.FakePlugin;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.store.PipelineRegistry;
import static io.framewire.pipeline.TestPipelines.node;
import static io.framewire.pipeline.TestPipelines.pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestVideos;
import io.framewire.api.ToolPlugin;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.JpegDecoder;
import io.framewire.api.image.RgbImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link VideoFilePipelineService#runOnFile} on real H.264 files decoded by FFmpeg. */
class RunOnFileTest {

  @TempDir static Path dir;
  static ActorSystem<Void> system;
  static Path numbered;
  static final AtomicInteger jpegBytesSeen = new AtomicInteger();
  static final AtomicInteger spyClosed = new AtomicInteger();
  static VideoFilePipelineService videos;

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "run-on-file-test");
    numbered = TestVideos.numberedGray(dir, 30);
    FakePlugin fake = new FakePlugin("fake")
        .statefulTool("spy", params -> new io.framewire.api.Tool() {
          @Override
          public Map<String, Object> apply(Map<String, Object> input) {
            assertFalse(input.containsKey("image_bytes"), "a decoded frame comes without image_bytes");
            DecodedFrame frame = DecodedFrame.of(input);
            assertFalse(frame.hasJpeg(), "nothing encoded JPEG before a tool asked");
            byte[] jpeg = frame.jpeg(); // a tool that wants bytes asks for them
            RgbImage decoded = JpegDecoder.decodeRgb(jpeg);
            jpegBytesSeen.set(jpeg.length);
            return Map.of("jpeg_width", decoded.width(), "jpeg_height", decoded.height());
          }

          @Override
          public void close() {
            spyClosed.incrementAndGet();
          }
        })
        .tool("boom", input -> {
          if ((Long) input.get("frame_index") == 6) {
            throw new IllegalStateException("lens cap on");
          }
          return Map.of();
        });
    List<ToolPlugin> plugins = new ArrayList<>();
    ServiceLoader.load(ToolPlugin.class).forEach(plugins::add);
    plugins.add(fake);
    ToolRegistry tools = ToolRegistry.of(plugins);
    List<PipelineDefinition> all = new ArrayList<>(PipelineRegistry.load(tools, java.util.Optional.empty()).all());
    all.add(pipeline("spy", List.of(node("n", "fake", "spy")), List.of(), List.of("n"), List.of("n")));
    all.add(pipeline("boom", List.of(node("n", "fake", "boom")), List.of(), List.of("n"), List.of("n")));
    DagPipelineService dag = new DagPipelineService(PipelineRegistry.of(tools, all), tools,
        system.dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking()));
    videos = new VideoFilePipelineService(dag, Materializer.createMaterializer(system));
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static List<FrameResult> run(Path file, String pipeline, int stride, long max) throws Exception {
    return videos.runOnFile(file.toString(), pipeline, stride, max).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static Throwable failure(Path file, String pipeline) {
    return failure(() -> run(file, pipeline, 1, 0));
  }

  private static Throwable failure(org.junit.jupiter.api.function.Executable run) {
    return assertThrows(ExecutionException.class, run, "the returned stage fails (errors are values)").getCause();
  }

  @Test
  void everyFrameInOrderWithItsSourceFrameNumber() throws Exception {
    List<FrameResult> results = run(numbered, "inspect", 1, 0);
    assertEquals(30, results.size());
    for (int i = 0; i < 30; i++) {
      assertEquals(i, results.get(i).frameIndex());
      assertEquals(160, results.get(i).result().get("width"));
      // the decoded pixels are frame i's: its gray level says which frame it is
      assertEquals(TestVideos.grayOf(i), (Double) results.get(i).result().get("mean_luminance"), 3.0, "frame " + i);
    }
  }

  @Test
  void strideKeepsFramesZeroNTwoNAndMaxFramesCountsKeptFrames() throws Exception {
    List<FrameResult> strided = run(numbered, "inspect", 7, 0);
    assertEquals(List.of(0L, 7L, 14L, 21L, 28L), strided.stream().map(FrameResult::frameIndex).toList());
    for (FrameResult r : strided) {
      assertEquals(TestVideos.grayOf((int) r.frameIndex()), (Double) r.result().get("mean_luminance"), 3.0);
    }
    List<FrameResult> limited = run(numbered, "inspect", 4, 3);
    assertEquals(List.of(0L, 4L, 8L), limited.stream().map(FrameResult::frameIndex).toList());
    assertEquals(List.of(0L, 1L), run(numbered, "echo", 1, 2).stream().map(FrameResult::frameIndex).toList());
  }

  @Test
  void echoReportsTheDecodedFrameSizeWithoutImageBytes() throws Exception {
    FrameResult first = run(numbered, "echo", 1, 1).get(0);
    assertEquals(Map.of("frame_index", 0L, "width", 160, "height", 120), first.result());
  }

  @Test
  void toolsGetDecodedPixelsAndJpegOnlyWhenTheyAskAndTheSessionIsClosedAfter() throws Exception {
    int closedBefore = spyClosed.get();
    List<FrameResult> results = run(numbered, "spy", 10, 0);
    assertEquals(3, results.size());
    assertEquals(Map.of("jpeg_width", 160, "jpeg_height", 120), results.get(2).result());
    assertTrue(jpegBytesSeen.get() > 100);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (spyClosed.get() == closedBefore && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // the close follows the stream's completion on another thread
    }
    assertEquals(closedBefore + 1, spyClosed.get(), "one session for the run, closed when it ended");
  }

  @Test
  void motionFollowsTheMovingSquareAcrossFramesOfOneSession() throws Exception {
    Path square = TestVideos.movingSquare(dir, 20, 320, 240);
    List<FrameResult> results = run(square, "motion", 1, 0);
    assertEquals(20, results.size());
    @SuppressWarnings("unchecked")
    Map<String, Object> motion = (Map<String, Object>) results.get(15).result().get("motion");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> regions = (List<Map<String, Object>>) motion.get("regions");
    assertFalse(regions.isEmpty(), "motion found the square: " + motion);
    int squareCentre = (10 + 6 * 15) + 20;
    boolean covered = regions.stream().anyMatch(b -> (Integer) b.get("x") <= squareCentre
        && squareCentre <= (Integer) b.get("x") + (Integer) b.get("w"));
    assertTrue(covered, "a region covers the square's centre x=" + squareCentre + ": " + regions);
  }

  @Test
  void aCorruptFileFailsWithFfmpegsReason() {
    Throwable error = failure(TestVideos.corrupt(dir), "echo");
    assertInstanceOf(VideoInputException.class, error);
    assertEquals("cannot open " + dir.resolve("corrupt.mp4") + ": Invalid data found when processing input",
        error.getMessage());
  }

  @Test
  void aMissingFileAndADirectoryFailClearly() {
    assertEquals("cannot open " + dir.resolve("nope.mp4") + ": no such file",
        failure(dir.resolve("nope.mp4"), "echo").getMessage());
    assertEquals("cannot open " + dir + ": it is a directory", failure(dir, "echo").getMessage());
  }

  @Test
  void anUnknownPipelineFailsBeforeTheFileIsOpened() {
    Throwable error = failure(dir.resolve("nope.mp4"), "no-such-pipeline");
    assertInstanceOf(UnknownPipelineException.class, error);
    assertEquals("unknown pipeline 'no-such-pipeline'", error.getMessage());
  }

  @Test
  void aPipelineFailureNamesTheFrameAndEndsTheRun() {
    Throwable error = failure(numbered, "boom");
    assertInstanceOf(FrameFailedException.class, error);
    assertEquals("frame 6: node 'n' failed: lens cap on", error.getMessage());
  }

  @Test
  void badArgumentsAreRefused() {
    assertEquals("frame stride must be at least 1, got 0",
        assertInstanceOf(IllegalArgumentException.class, failure(() -> run(numbered, "echo", 0, 0))).getMessage());
    assertEquals("max frames must not be negative, got -1",
        assertInstanceOf(IllegalArgumentException.class, failure(() -> run(numbered, "echo", 1, -1))).getMessage());
  }
}
