package io.framewire.video;

import static io.framewire.pipeline.TestPipelines.edge;
import static io.framewire.pipeline.TestPipelines.node;
import static io.framewire.pipeline.TestPipelines.pipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.framewire.api.ToolPlugin;
import io.framewire.engine.DagPipelineService;
import io.framewire.engine.FrameResult;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.testing.GatePlugin;
import io.framewire.testing.TestVideos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many frames of one video run are in the pipeline at once: several when every tool is stateless
 * (so a model's concurrent runs are used by a single file), one when a tool is stateful; results in
 * frame order either way. The gate tool holds frames inside the pipeline until the test releases them.
 */
class RunFramesInFlightTest {

  @TempDir static Path dir;
  static ActorSystem<Void> system;
  static Path video;
  static VideoFilePipelineService videos;
  static final GatePlugin gate = new GatePlugin();

  @BeforeAll
  static void start() {
    system = ActorSystem.create(Behaviors.empty(), "run-frames-in-flight-test");
    video = TestVideos.numberedGray(dir, 12);
    List<ToolPlugin> plugins = new ArrayList<>();
    ServiceLoader.load(ToolPlugin.class).forEach(plugins::add);
    plugins.add(gate);
    ToolRegistry tools = ToolRegistry.of(plugins);
    List<PipelineDefinition> all = new ArrayList<>(PipelineRegistry.load(tools, java.util.Optional.empty()).all());
    all.add(pipeline("stateless", List.of(node("g", "test", "gate")), List.of(), List.of("g"), List.of("g")));
    all.add(pipeline("stateful", List.of(node("g", "test", "gate"), node("c", "test", "count")),
        List.of(edge("g", "c")), List.of("g"), List.of("g", "c")));
    DagPipelineService dag = new DagPipelineService(PipelineRegistry.of(tools, all), tools,
        system.dispatchers().lookup(DispatcherSelector.blocking()));
    videos = new VideoFilePipelineService(dag, Materializer.createMaterializer(system));
  }

  @AfterAll
  static void stop() {
    gate.release(1000);
    system.terminate();
  }

  @Test
  void aStatelessPipelineHasSeveralFramesInFlightAndKeepsTheirOrder() throws Exception {
    int inFlight = VideoFilePipelineService.STATELESS_FRAMES_IN_FLIGHT;
    CompletableFuture<List<FrameResult>> run = videos.runOnFile(video.toString(), "stateless", 1, 0).toCompletableFuture();
    List<Long> entered = new ArrayList<>();
    for (int i = 0; i < inFlight; i++) {
      entered.add(gate.awaitEntered()); // all of them inside the tool at once: none was released yet
    }
    assertEquals(LongStream.range(0, inFlight).boxed().toList(), entered.stream().sorted().toList());
    assertNull(gate.entered.poll(300, TimeUnit.MILLISECONDS), "no more than " + inFlight + " frames at once");
    gate.release(1000);
    List<FrameResult> results = run.get(30, TimeUnit.SECONDS);
    assertEquals(LongStream.range(0, 12).boxed().toList(), results.stream().map(FrameResult::frameIndex).toList());
    gate.reset();
  }

  @Test
  void aStatefulToolKeepsOneFrameAtATime() throws Exception {
    CompletableFuture<List<FrameResult>> run = videos.runOnFile(video.toString(), "stateful", 1, 3).toCompletableFuture();
    for (long frame = 0; frame < 3; frame++) {
      assertEquals(frame, gate.awaitEntered());
      assertNull(gate.entered.poll(300, TimeUnit.MILLISECONDS), "frame " + (frame + 1) + " waits for frame " + frame);
      gate.release(1);
    }
    List<FrameResult> results = run.get(30, TimeUnit.SECONDS);
    assertEquals(List.of(0L, 1L, 2L), results.stream().map(FrameResult::frameIndex).toList());
  }
}
