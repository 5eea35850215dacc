package io.framewire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.api.Detection;
import io.framewire.api.FrameTime;
import io.framewire.engine.DagPipelineService;
import io.framewire.engine.FramePayloads;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.PipelineJson;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.engine.SessionTools;
import io.framewire.api.ToolPlugin;
import io.framewire.pipeline.ToolRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a pipeline on frames without a server or a socket: the same validation and DAG engine as the
 * server, one session (so stateful tools keep their state from frame to frame), frames in order.
 *
 * <pre>{@code
 * List<JsonNode> results = PipelineProbe.run(definitionJson, List.of(jpeg1, jpeg2));
 * }</pre>
 *
 * <p>Tools come from the ServiceLoader (the built-ins and every plugin on the test classpath) plus
 * the given ones. A tool failure fails the call with the pipeline's failure (node id and message).
 *
 * <p>{@link #runDetections} skips the images: it hands each frame's {@code detections} to the
 * pipeline's entry nodes directly, as {@code onnx/detect} would have output them, for fast and exact
 * tests of the tools after a detector ({@code track/bytetrack}, …).
 */
public final class PipelineProbe {

  /** The time of {@link #runDetections}'s first frame: 2026-01-01T00:00:00Z. */
  public static final long START_MILLIS = 1_767_225_600_000L;

  private static final ObjectMapper JSON = new ObjectMapper();

  private PipelineProbe() {}

  /** Runs {@code definition} (pipeline JSON) on each JPEG frame; one result per frame, in order. */
  public static List<JsonNode> run(String definition, List<byte[]> frames, ToolPlugin... plugins) throws Exception {
    return run(PipelineJson.read(definition), frames, plugins);
  }

  /** As {@link #run(String, List, ToolPlugin...)}, for a parsed definition. */
  public static List<JsonNode> run(PipelineDefinition definition, List<byte[]> frames, ToolPlugin... plugins)
      throws Exception {
    List<Map<String, Object>> payloads = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      Map<String, Object> payload = new HashMap<>();
      payload.put("frame_index", (long) i);
      payload.put("image_bytes", frames.get(i));
      payloads.add(payload);
    }
    return runPayloads(definition, payloads, plugins);
  }

  /**
   * Runs {@code definition} on JPEG frames filmed at {@code fps} frames a second: frame {@code i}'s
   * payload is what the engine builds for a frame ({@link FramePayloads#jpeg}) with {@code
   * frame_time_ms} {@link #START_MILLIS} + {@code i} × 1000 / {@code fps}, the scene's own clock (as a
   * video file's frames have), so durations such as a zone's dwell are in the scene's time, however
   * fast the frames run. One result per frame, in order.
   */
  public static List<JsonNode> run(String definition, List<byte[]> frames, double fps, ToolPlugin... plugins)
      throws Exception {
    if (!(fps > 0)) {
      throw new IllegalArgumentException("fps must be positive, got " + fps);
    }
    List<Map<String, Object>> payloads = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      payloads.add(FramePayloads.jpeg(i, frames.get(i), START_MILLIS + Math.round(i * 1000.0 / fps)));
    }
    return runPayloads(PipelineJson.read(definition), payloads, plugins);
  }

  /** The time {@link #runDetections} gives frame {@code index}: {@link #START_MILLIS} plus {@link TestVideos#FPS} frames a second. */
  public static long frameTimeMillis(long index) {
    return START_MILLIS + Math.round(index * 1000.0 / TestVideos.FPS);
  }

  /**
   * Runs {@code definition} on frames given as detections, without images: frame {@code i}'s payload
   * is {@code frame_index} {@code i}, {@code frame_time_ms} {@link #frameTimeMillis}({@code i}) and
   * {@code detections}, the boxes as {@link Detection#toMap} (what {@code onnx/detect} outputs). The
   * entry nodes must read {@code detections} from their input; one result per frame, in order.
   */
  public static List<JsonNode> runDetections(String definition, List<? extends List<Detection>> frames,
      ToolPlugin... plugins) throws Exception {
    List<Map<String, Object>> payloads = new ArrayList<>();
    for (int i = 0; i < frames.size(); i++) {
      Map<String, Object> payload = new HashMap<>();
      payload.put("frame_index", (long) i);
      payload.put(FrameTime.KEY, frameTimeMillis(i));
      payload.put("detections", frames.get(i).stream().map(Detection::toMap).toList());
      payloads.add(payload);
    }
    return runPayloads(PipelineJson.read(definition), payloads, plugins);
  }

  private static List<JsonNode> runPayloads(PipelineDefinition definition, List<Map<String, Object>> payloads,
      ToolPlugin... plugins) throws Exception {
    List<ToolPlugin> all = new ArrayList<>();
    ServiceLoader.load(ToolPlugin.class).forEach(all::add);
    all.addAll(List.of(plugins));
    ToolRegistry tools = ToolRegistry.of(all);
    PipelineRegistry registry = PipelineRegistry.of(tools, List.of(definition)); // validates
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "pipeline-probe");
      t.setDaemon(true);
      return t;
    });
    try (DagPipelineService service = new DagPipelineService(registry, tools, pool);
        SessionTools session = service.openSession(definition.id())) {
      List<JsonNode> results = new ArrayList<>();
      for (int i = 0; i < payloads.size(); i++) {
        Map<String, Object> result;
        try {
          result = service.runPipeline(session, payloads.get(i)).toCompletableFuture().get(WsTestClient.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
          throw new AssertionError("frame " + i + " took longer than " + WsTestClient.TIMEOUT, e);
        }
        DagPipelineService.timingsOf(result);
        results.add(JSON.valueToTree(result));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
