package io.framewire.cluster;

import io.framewire.pipeline.JsonSafe;
import io.framewire.api.AsyncTool;
import io.framewire.api.Tool;
import io.framewire.pipeline.ToolRegistry;
import io.framewire.api.image.DecodedFrame;
import io.framewire.engine.Failures;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs nodes for fronts on a worker, through the same tool path as a local pipeline: one shared
 * instance per node configuration ({@code plugin_id}, {@code tool_id}, {@code params}), created once
 * on the tool dispatcher; blocking tools run on the tool dispatcher, {@link AsyncTool}s and
 * non-blocking tools inline. The runner owns the instances: {@link #close} closes them once no call
 * is inside them any more.
 */
public final class WorkerNodeRunner implements AutoCloseable {

  /** Distinct node configurations kept; a front asking for more is refused, nothing is evicted mid-call. */
  static final int MAX_TOOLS = 256;
  private static final ObjectMapper JSON = new ObjectMapper();

  private record ToolKey(String pluginId, String toolId, String params) {}

  private final ToolRegistry tools;
  private final Executor blocking;
  private final Map<ToolKey, CompletableFuture<Tool>> instances = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean closing;
  private final CompletableFuture<Void> idleAfterClose = new CompletableFuture<>();

  public WorkerNodeRunner(ToolRegistry tools, Executor blocking) {
    this.tools = tools;
    this.blocking = blocking;
  }

  /** Runs one node; completes with its JSON-safe outputs or fails with the tool's error. */
  public CompletionStage<Map<String, Object>> run(NodeWorker.RunNode call) {
    inFlight.incrementAndGet(); // before the check: close() then waits for this call
    if (closing) {
      release();
      return CompletableFuture.failedFuture(new IllegalStateException("worker is shutting down"));
    }
    CompletableFuture<Map<String, Object>> result;
    try {
      Map<String, Object> input = input(call);
      result = tool(call).thenCompose(tool -> invoke(tool, call, input));
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result
        .thenApply(JsonSafe::wireSafe)
        .whenComplete((ignored, error) -> release());
  }

  private void release() {
    if (inFlight.decrementAndGet() == 0 && closing) {
      closeTools();
    }
  }

  private Map<String, Object> input(NodeWorker.RunNode call) {
    if (call.jpeg() == null) {
      throw new IllegalArgumentException("the node call carries no frame");
    }
    Map<String, Object> input = new HashMap<>(WireJson.toMap(call.inputs()));
    input.put("frame_index", call.frameIndex());
    input.put("image_bytes", call.jpeg());
    input.put(DecodedFrame.KEY, DecodedFrame.ofJpeg(call.jpeg(), tools.usesColour(call.pluginId(), call.toolId())));
    return java.util.Collections.unmodifiableMap(input);
  }

  private CompletableFuture<Tool> tool(NodeWorker.RunNode call) {
    ToolKey key = new ToolKey(call.pluginId(), call.toolId(), call.params() == null ? "{}" : call.params());
    CompletableFuture<Tool> existing = instances.get(key);
    if (existing != null) {
      return existing;
    }
    if (instances.size() >= MAX_TOOLS) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "worker already holds " + MAX_TOOLS + " distinct tool configurations"));
    }
    CompletableFuture<Tool> created = new CompletableFuture<>();
    existing = instances.putIfAbsent(key, created);
    if (existing != null) {
      return existing;
    }
    // Creating may be slow (a model load): never on the actor's or the caller's thread.
    blocking.execute(() -> {
      try {
        created.complete(tools.create(key.pluginId(), key.toolId(), JSON.readTree(key.params())));
      } catch (Exception e) {
        instances.remove(key, created); // a later call tries again (e.g. after a deploy fixed it)
        created.completeExceptionally(e);
      }
    });
    return created;
  }

  private CompletionStage<Map<String, Object>> invoke(Tool tool, NodeWorker.RunNode call, Map<String, Object> input) {
    if (tool instanceof AsyncTool || !tools.isBlocking(call.pluginId(), call.toolId())) {
      return tool.applyAsync(input);
    }
    CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
    blocking.execute(() -> tool.applyAsync(input).whenComplete((out, error) -> {
      if (error != null) {
        result.completeExceptionally(error);
      } else {
        result.complete(out == null ? Map.of() : out);
      }
    }));
    return result;
  }

  /** A tool failure's message for the front (first line, no class names, at most ~200 chars). */
  static String describe(Throwable error) {
    Throwable cause = Failures.unwrap(error);
    String message = cause.getMessage();
    if (message == null || message.isBlank()) {
      return cause.getClass().getSimpleName();
    }
    String line = message.strip().lines().findFirst().orElse("").strip();
    return line.length() <= 200 ? line : line.substring(0, 200) + "…";
  }

  /** Completes once no call is running after {@link #close} was called. */
  public CompletionStage<Void> whenIdleAfterClose() {
    return idleAfterClose;
  }

  /** Refuses new calls; the tools are closed as soon as no call is inside them. */
  @Override
  public void close() {
    closing = true;
    if (inFlight.get() == 0) {
      closeTools();
    }
  }

  private synchronized void closeTools() {
    if (idleAfterClose.isDone()) {
      return;
    }
    for (CompletableFuture<Tool> tool : instances.values()) {
      tool.thenAccept(t -> {
        try {
          t.close();
        } catch (RuntimeException ignored) {
          // Closing at shutdown: nothing left to tell.
        }
      });
    }
    instances.clear();
    idleAfterClose.complete(null);
  }
}
