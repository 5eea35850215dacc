package io.framewire.tools.debug;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.tools.Tool;
import io.framewire.tools.ToolPlugin;
import java.util.Map;
import java.util.Set;

/**
 * Tools for tests, benchmarks and graph experiments: {@code echo} (frame index and byte size, no
 * decode), {@code sleep} ({@code params.ms}), {@code spin} (burns {@code params.ms} of this thread's
 * CPU time: a stand-in for a CPU-bound model in scaling benchmarks) and {@code fail}
 * ({@code params.message}).
 */
public final class DebugPlugin implements ToolPlugin {

  @Override
  public String id() {
    return "debug";
  }

  @Override
  public Set<String> toolIds() {
    return Set.of("echo", "sleep", "spin", "fail");
  }

  /** {@code echo} only reads two fields: it never blocks. */
  @Override
  public boolean isBlocking(String toolId) {
    return !toolId.equals("echo");
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    return switch (toolId) {
      case "echo" -> DebugPlugin::echo;
      case "sleep" -> sleep(requireNonNegative(params, "ms"));
      case "spin" -> spin(requireNonNegative(params, "ms"));
      case "fail" -> fail(params.path("message").asText("failed on purpose"));
      default -> throw new IllegalArgumentException("unknown tool '" + toolId + "' in plugin 'debug'");
    };
  }

  private static Map<String, Object> echo(Map<String, Object> input) {
    Object bytes = input.get("image_bytes");
    int size = bytes instanceof byte[] b ? b.length : 0;
    return Map.of("frame_index", input.getOrDefault("frame_index", -1), "bytes", size);
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

  private static Tool fail(String message) {
    return input -> {
      throw new IllegalStateException(message);
    };
  }

  private static long requireNonNegative(JsonNode params, String field) {
    JsonNode value = params.get(field);
    if (value == null || !value.canConvertToLong() || value.asLong() < 0) {
      throw new IllegalArgumentException("params." + field + " must be a non-negative integer");
    }
    return value.asLong();
  }
}
