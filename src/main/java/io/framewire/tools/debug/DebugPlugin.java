package io.framewire.tools.debug;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.ParamSpec;
import io.framewire.api.ParamValues;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import io.framewire.api.image.DecodedFrame;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Tools for tests, benchmarks and graph experiments: {@code echo} (frame index and byte size, no
 * decode; for a decoded video frame its width and height), {@code sleep} ({@code params.ms}),
 * {@code spin} (burns {@code params.ms} of this thread's CPU time: a stand-in for a CPU-bound model in
 * scaling benchmarks), {@code fail} ({@code params.message}) and {@code event} (one {@code debug} event on
 * each frame whose index is a multiple of {@code params.every}: a known event rate for the event
 * store's tests and benchmarks).
 */
public final class DebugPlugin implements ToolPlugin {

  @Override
  public String id() {
    return "debug";
  }

  @Override
  public Set<String> toolIds() {
    return Set.of("echo", "sleep", "spin", "fail", "event");
  }

  static final List<ParamSpec> SLEEP_PARAMS = List.of(
      ParamSpec.integer("ms", "how long each frame sleeps, in milliseconds").min(0).asRequired());
  static final List<ParamSpec> SPIN_PARAMS = List.of(
      ParamSpec.integer("ms", "CPU time each frame burns on its thread, in milliseconds").min(0).asRequired());
  static final List<ParamSpec> FAIL_PARAMS = List.of(
      ParamSpec.string("message", "the failure message each frame reports").withDefault("failed on purpose"));
  static final List<ParamSpec> EVENT_PARAMS = List.of(
      ParamSpec.integer("every", "raise one event on each frame whose index is a multiple of this").min(1)
          .withDefault(1));

  @Override
  public String description() {
    return "Tools for tests, benchmarks and graph experiments.";
  }

  @Override
  public String description(String toolId) {
    return switch (toolId) {
      case "echo" -> "Reports the frame index and byte size without decoding (frame_index, bytes). Non-blocking.";
      case "sleep" -> "Sleeps params.ms per frame, then reports slept_ms: a stand-in for a slow model.";
      case "spin" -> "Burns params.ms of CPU time per frame, then reports spun_ms: a stand-in for a CPU-bound model.";
      case "fail" -> "Fails every frame with params.message: to see how failures look.";
      case "event" -> "Raises one 'debug' event on each frame whose index is a multiple of params.every. Non-blocking.";
      default -> "";
    };
  }

  @Override
  public Optional<List<ParamSpec>> params(String toolId) {
    return switch (toolId) {
      case "echo" -> Optional.of(List.of());
      case "sleep" -> Optional.of(SLEEP_PARAMS);
      case "spin" -> Optional.of(SPIN_PARAMS);
      case "fail" -> Optional.of(FAIL_PARAMS);
      case "event" -> Optional.of(EVENT_PARAMS);
      default -> Optional.empty();
    };
  }

  /** {@code echo} and {@code event} only read a field or two: they never block. */
  @Override
  public boolean isBlocking(String toolId) {
    return !toolId.equals("echo") && !toolId.equals("event");
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    return switch (toolId) {
      case "echo" -> {
        ParamValues.read(List.of(), params);
        yield DebugPlugin::echo;
      }
      case "sleep" -> sleep(ParamValues.read(SLEEP_PARAMS, params).integer("ms"));
      case "spin" -> spin(ParamValues.read(SPIN_PARAMS, params).integer("ms"));
      case "fail" -> fail(ParamValues.read(FAIL_PARAMS, params).string("message"));
      case "event" -> event(ParamValues.read(EVENT_PARAMS, params).integer("every"));
      default -> throw new IllegalArgumentException("unknown tool '" + toolId + "' in plugin 'debug'");
    };
  }

  /**
   * A JPEG frame (a client's): its index and byte size. A decoded frame (from a video, no
   * {@code image_bytes}): its index and pixel size, read without encoding anything; a tool that needs
   * the bytes of such a frame asks {@code DecodedFrame.of(input).jpeg()}.
   */
  private static Map<String, Object> echo(Map<String, Object> input) {
    Object index = input.getOrDefault("frame_index", -1);
    if (input.get("image_bytes") instanceof byte[] bytes) {
      return Map.of("frame_index", index, "bytes", bytes.length);
    }
    if (input.get(DecodedFrame.KEY) instanceof DecodedFrame frame) {
      Map<String, Object> out = new LinkedHashMap<>(4); // stable field order in the JSON lines
      out.put("frame_index", index);
      out.put("width", frame.width()); // the size, without converting the pixels to anything
      out.put("height", frame.height());
      return out;
    }
    return Map.of("frame_index", index, "bytes", 0);
  }

  private static Tool sleep(long ms) {
    return input -> {
      Thread.sleep(ms);
      return Map.of("slept_ms", ms);
    };
  }

  private static Tool spin(long ms) {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    boolean cpuClock = threads.isCurrentThreadCpuTimeSupported();
    long budget = ms * 1_000_000L;
    return input -> {
      // CPU time, not wall time: on a shared machine each frame still costs the same work.
      long start = cpuClock ? threads.getCurrentThreadCpuTime() : System.nanoTime();
      long spins = 0;
      double sink = 1;
      while ((cpuClock ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - start < budget) {
        for (int i = 0; i < 1000; i++) {
          sink = sink * 1.0000001 + 1e-9;
        }
        spins++;
      }
      return Map.of("spun_ms", ms, "spins", spins, "checksum", sink > 0 ? 1 : 0);
    };
  }

  /** Stateless: the frame index alone decides, so a session's events are exactly predictable. */
  private static Tool event(long every) {
    return input -> {
      long index = input.get("frame_index") instanceof Number n ? n.longValue() : -1;
      if (index < 0 || index % every != 0) {
        return Map.of("events", List.of());
      }
      return Map.of("events", List.of(Map.of("type", "debug", "label", "debug", "frame_index", index)));
    };
  }

  private static Tool fail(String message) {
    return input -> {
      throw new IllegalStateException(message);
    };
  }
}
