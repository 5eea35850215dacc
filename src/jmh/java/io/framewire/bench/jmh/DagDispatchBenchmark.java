package io.framewire.bench.jmh;

import io.framewire.metrics.StreamMetrics;
import io.framewire.engine.DagPipelineService;
import io.framewire.engine.NodeTimers;
import io.framewire.engine.SessionTools;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.api.Tool;
import io.framewire.pipeline.ToolRegistry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the DAG runner costs per frame over calling the tool directly. Tools run on a
 * same-thread executor here, so the numbers are the runner's own bookkeeping (futures, merging,
 * JSON-safe copy), not thread hand-offs; the load benchmarks measure those. The {@code …NodeSeconds}
 * variants time every node into the {@code node_seconds} histogram as the server does; {@code
 * …Timings} also returns the per-node timings ({@code &timings=1}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DagDispatchBenchmark {

  /** Two echo branches joined by a third node: the smallest DAG with fan-out and fan-in. */
  private static final String DIAMOND = """
      {"id":"diamond","name":"Diamond","nodes":[
        {"id":"a","plugin_id":"debug","tool_id":"echo"},
        {"id":"b","plugin_id":"debug","tool_id":"echo"},
        {"id":"c","plugin_id":"debug","tool_id":"echo"}],
       "edges":[{"from_node":"a","to_node":"c"},{"from_node":"b","to_node":"c"}],
       "entry_nodes":["a","b"],"output_nodes":["c"]}
      """;

  private DagPipelineService service;
  private DagPipelineService timedService;
  private SessionTools timingsSession;
  private Tool directEcho;
  private Map<String, Object> payload;

  @Setup
  public void setUp() {
    ToolRegistry tools = ToolRegistry.fromClasspath(); // the built-ins load against all built-in tools
    PipelineRegistry registry = PipelineRegistry.of(tools, List.of(
        PipelineRegistry.load(tools, Optional.empty()).get("echo").orElseThrow(),
        PipelineJson.read(DIAMOND)));
    service = new DagPipelineService(registry, tools, Runnable::run);
    StreamMetrics metrics = new StreamMetrics(false);
    timedService = new DagPipelineService(registry, tools, Runnable::run, NodeTimers.of(metrics));
    timingsSession = timedService.openSession("diamond", true);
    directEcho = tools.create("debug", "echo", null);
    payload = new HashMap<>();
    payload.put("frame_index", 7L);
    payload.put("image_bytes", new byte[21 * 1024]);
  }

  @TearDown
  public void tearDown() {
    timingsSession.close();
    timedService.close();
    service.close();
  }

  @Benchmark
  public Object directToolCall() throws Exception {
    return directEcho.apply(payload);
  }

  @Benchmark
  public Object echoPipeline() {
    return service.runPipeline("echo", payload).toCompletableFuture().join();
  }

  @Benchmark
  public Object diamondPipeline() {
    return service.runPipeline("diamond", payload).toCompletableFuture().join();
  }

  @Benchmark
  public Object echoPipelineNodeSeconds() {
    return timedService.runPipeline("echo", payload).toCompletableFuture().join();
  }

  @Benchmark
  public Object diamondPipelineNodeSeconds() {
    return timedService.runPipeline("diamond", payload).toCompletableFuture().join();
  }

  @Benchmark
  public Object diamondPipelineTimings() {
    return timedService.runPipeline(timingsSession, payload).toCompletableFuture().join();
  }
}
