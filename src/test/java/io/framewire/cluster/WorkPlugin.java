package io.framewire.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import io.framewire.api.image.DecodedFrame;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ctest/work}, a controllable heavy tool for cluster tests: it says which node ran it, reads
 * the frame (decoded on that node) and a predecessor's output, sleeps {@code params.ms}, and can be
 * held: {@link #hold()} makes the next call wait (and signal {@link #entered}) until released.
 */
final class WorkPlugin implements ToolPlugin {

  final String node;
  final AtomicInteger runs = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  /** The most calls that ran at the same time. */
  final AtomicInteger mostAtOnce = new AtomicInteger();
  final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile boolean holding;

  WorkPlugin(String node) {
    this.node = node;
  }

  /** From now on, calls wait until {@link #release()} (or 30 s). */
  WorkPlugin hold() {
    holding = true;
    return this;
  }

  void release() {
    released.countDown();
  }

  @Override
  public String id() {
    return "ctest";
  }

  @Override
  public Set<String> toolIds() {
    return Set.of("work");
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    long ms = params.path("ms").asLong(0);
    return input -> {
      runs.incrementAndGet();
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      try {
        return work(input, ms);
      } finally {
        running.decrementAndGet();
      }
    };
  }

  private Map<String, Object> work(Map<String, Object> input, long ms) throws InterruptedException {
    if (holding) {
      entered.countDown();
      released.await(30, TimeUnit.SECONDS);
    }
    if (ms > 0) {
      Thread.sleep(ms);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("worker", node);
    out.put("frame", input.get("frame_index"));
    out.put("width", DecodedFrame.of(input).gray().width());
    out.put("echoed_bytes", input.get("bytes"));
    out.put("boxes", java.util.List.of(Map.of("x", 1, "y", 2.5)));
    out.put("_internal_ok", true);
    return out;
  }
}
