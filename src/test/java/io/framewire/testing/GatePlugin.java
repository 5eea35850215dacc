package io.framewire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.api.Tool;
import io.framewire.api.ToolPlugin;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A test tool the test controls: plugin {@code test}, tool {@code gate}. Each frame announces itself
 * in {@link #entered} and then waits for a permit from {@link #release}; so a test can hold the
 * pipeline busy while frames arrive, deterministically, without timing. Tool {@code hang} never
 * returns (until the test ends), for timeout tests. Tool {@code count} is stateful (one instance per
 * session), so tests can check that no tool instance outlives its session.
 */
public final class GatePlugin implements ToolPlugin {

  public final BlockingQueue<Long> entered = new LinkedBlockingQueue<>();
  private final Semaphore permits = new Semaphore(0);
  private final Semaphore hung = new Semaphore(0);

  @Override
  public String id() {
    return "test";
  }

  @Override
  public Set<String> toolIds() {
    return Set.of("gate", "hang", "count");
  }

  /** {@code count} keeps a per-session frame counter: stateful, one instance per session. */
  @Override
  public boolean isStateful(String toolId) {
    return toolId.equals("count");
  }

  @Override
  public Tool create(String toolId, JsonNode params) {
    if (toolId.equals("count")) {
      long[] seen = {0};
      return input -> Map.of("frames_seen", ++seen[0]);
    }
    if (toolId.equals("hang")) {
      return input -> {
        hung.tryAcquire(60, TimeUnit.SECONDS);
        return Map.of();
      };
    }
    return input -> {
      long index = (Long) input.get("frame_index");
      entered.add(index);
      if (!permits.tryAcquire(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("gate was never released");
      }
      return Map.of("gated_frame", index);
    };
  }

  /** Lets {@code n} frames through the gate. */
  public void release(int n) {
    permits.release(n);
  }

  /** Forgets unused permits and announced frames, for the next test on a shared instance. */
  public void reset() {
    permits.drainPermits();
    entered.clear();
  }

  /** Waits until a frame is inside the tool and returns its index. */
  public long awaitEntered() throws InterruptedException {
    Long index = entered.poll(20, TimeUnit.SECONDS);
    if (index == null) {
      throw new AssertionError("no frame reached the gate tool");
    }
    return index;
  }

  /** Frees hung tools so that their threads end with the test. */
  public void unhang() {
    hung.release(1000);
  }
}
