package io.framewire.engine;

import io.framewire.pipeline.CompiledPipeline;
import io.framewire.pipeline.JsonSafe;
import io.framewire.api.AsyncTool;
import io.framewire.api.Tool;
import io.framewire.api.image.DecodedFrame;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of a compiled pipeline on one payload.
 *
 * <p>Each node has a future that its predecessors' futures trigger: a node is handed to the
 * executor as soon as its last predecessor completes, so independent branches overlap and no
 * thread ever waits for another node. The result completes only once every started node has
 * settled, even after a failure: a stateful tool must never see the next frame while a branch of
 * this one is still running in it, and a one-shot session must not close tools still in use.
 */
final class PipelineRun {

  /**
   * Where a timed session's result carries its timings ({@code Map<String, Double>}, ms by node id,
   * then {@code total}); a top-level {@code _} key, so no tool output can collide with it.
   */
  static final String TIMINGS_KEY = "_timings_ms";

  /** The result key under which every node's events are collected ({@link #collectEvents}). */
  static final String EVENTS_KEY = "events";

  private final CompiledPipeline pipeline;
  private final NodeTimer[] timers;
  /** Each node's time when the session asked for timings, else null. */
  private final long[] nanos;
  private final long started = System.nanoTime();
  private final Tool[] tools;
  private final Map<String, Object> payload;
  private final Executor executor;
  private final CompletableFuture<Map<String, Object>>[] done;
  private final AtomicReference<PipelineFailure> firstFailure = new AtomicReference<>();

  @SuppressWarnings({"unchecked", "rawtypes"}) // generic array creation
  private PipelineRun(SessionTools session, Map<String, Object> payload, Executor executor) {
    this.pipeline = session.pipeline;
    this.tools = session.tools;
    this.timers = session.nodeTimers;
    this.nanos = session.timings ? new long[pipeline.size()] : null;
    this.payload = Collections.unmodifiableMap(withFrame(payload, pipeline)); // tools must not modify it
    this.executor = executor;
    this.done = new CompletableFuture[pipeline.size()];
  }

  /**
   * The payload with its shared {@link DecodedFrame}: a JPEG frame gets one here, decoded lazily and
   * at most once whichever nodes ask; a frame from a video decoder brings its own.
   */
  private static Map<String, Object> withFrame(Map<String, Object> payload, CompiledPipeline pipeline) {
    if (payload.containsKey(DecodedFrame.KEY) || !(payload.get("image_bytes") instanceof byte[] jpeg)) {
      return payload;
    }
    Map<String, Object> withFrame = new HashMap<>(payload);
    withFrame.put(DecodedFrame.KEY, DecodedFrame.ofJpeg(jpeg, pipeline.anyColour));
    return withFrame;
  }

  static CompletableFuture<Map<String, Object>> start(
      SessionTools session, Map<String, Object> payload, Executor executor) {
    return new PipelineRun(session, payload, executor).start();
  }

  private CompletableFuture<Map<String, Object>> start() {
    for (int i = 0; i < done.length; i++) {
      done[i] = new CompletableFuture<>();
    }
    for (int node : pipeline.topologicalOrder) {
      int[] predecessors = pipeline.predecessors[node];
      switch (predecessors.length) {
        case 0 -> submit(node);
        case 1 -> done[predecessors[0]].whenComplete((ignored, error) -> onReady(node, error));
        default -> allOf(predecessors).whenComplete((ignored, error) -> onReady(node, error));
      }
    }
    CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
    int[] sinks = pipeline.sinks;
    CompletableFuture<?> settled = sinks.length == 1 ? done[sinks[0]] : allOf(sinks);
    settled.whenComplete((ignored, error) -> finish(result, error));
    return result;
  }

  private void onReady(int node, Throwable predecessorError) {
    if (predecessorError != null) {
      done[node].completeExceptionally(predecessorError); // skipped: its input cannot exist
    } else {
      submit(node);
    }
  }

  private void submit(int node) {
    PipelineFailure failure = firstFailure.get();
    if (failure != null) {
      done[node].completeExceptionally(failure); // the run already failed: don't start new work
      return;
    }
    if (!pipeline.blocking[node] || tools[node] instanceof AsyncTool) {
      // A quick tool, or one that only starts its work here: a hand-off would cost more than the call.
      runNode(node);
      return;
    }
    try {
      executor.execute(() -> runNode(node));
    } catch (RuntimeException rejected) {
      fail(node, rejected);
    }
  }

  private void runNode(int node) {
    CompletionStage<Map<String, Object>> outputs;
    long start = System.nanoTime();
    try {
      outputs = tools[node].applyAsync(input(node));
    } catch (VirtualMachineError fatal) {
      done[node].completeExceptionally(fatal);
      throw fatal;
    } catch (Throwable error) {
      fail(node, error);
      return;
    }
    if (outputs == null) {
      fail(node, new IllegalStateException("tool returned no result stage"));
      return;
    }
    outputs.whenComplete((result, error) -> {
      long elapsed = System.nanoTime() - start;
      timers[node].record(elapsed);
      if (nanos != null) {
        nanos[node] = elapsed;
      }
      if (error != null) {
        fail(node, error);
      } else {
        done[node].complete(result == null ? Map.of() : result);
      }
    });
  }

  /** The payload merged with the predecessors' outputs, in edge order: later edges win. */
  private Map<String, Object> input(int node) {
    int[] predecessors = pipeline.predecessors[node];
    if (predecessors.length == 0) {
      return payload;
    }
    Map<String, Object> input = new HashMap<>(payload);
    for (int predecessor : predecessors) {
      input.putAll(done[predecessor].join()); // already complete: this does not wait
    }
    return Collections.unmodifiableMap(input);
  }

  private void fail(int node, Throwable error) {
    PipelineFailure failure = new PipelineFailure(pipeline.nodes[node].id(), Failures.unwrap(error));
    firstFailure.compareAndSet(null, failure);
    done[node].completeExceptionally(failure);
  }

  private void finish(CompletableFuture<Map<String, Object>> result, Throwable error) {
    PipelineFailure failure = firstFailure.get();
    if (failure != null) {
      result.completeExceptionally(failure);
    } else if (error != null) {
      result.completeExceptionally(Failures.unwrap(error));
    } else {
      try {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (int output : pipeline.outputs) {
          JsonSafe.mergeOutputs(merged, done[output].join());
        }
        collectEvents(merged);
        if (nanos != null) {
          merged.put(TIMINGS_KEY, timings());
        }
        result.complete(merged);
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    }
  }

  /**
   * The result's {@code events}: every node's, output node or not, in execution order, each tagged
   * with its node's id ({@code node}) unless it names one itself. An event is
   * what happened on this frame (a line crossed, a track started); it must not be lost because the
   * node that saw it feeds another instead of being an output, nor overwritten by a later node's.
   */
  private void collectEvents(Map<String, Object> merged) {
    List<Object> events = null;
    for (int node : pipeline.topologicalOrder) {
      if (done[node].join().get(EVENTS_KEY) instanceof List<?> list && !list.isEmpty()) {
        if (events == null) {
          events = new ArrayList<>();
        }
        for (Object event : list) {
          events.add(withNode(event, pipeline.nodes[node].id()));
        }
      }
    }
    if (events != null) {
      JsonSafe.mergeOutputs(merged, Map.of(EVENTS_KEY, events));
    } else {
      merged.remove(EVENTS_KEY);
    }
  }

  /** An event map with the id of the node that raised it under {@code node}, as the event store keeps it. */
  private static Object withNode(Object event, String nodeId) {
    if (!(event instanceof Map<?, ?> fields) || fields.containsKey("node")) {
      return event;
    }
    Map<Object, Object> tagged = new LinkedHashMap<>(fields);
    tagged.put("node", nodeId);
    return tagged;
  }

  /** Milliseconds (3 decimals) by node id in execution order, then the whole run as {@code total}. */
  private Map<String, Double> timings() {
    long total = System.nanoTime() - started;
    Map<String, Double> timings = new LinkedHashMap<>();
    for (int node : pipeline.topologicalOrder) {
      timings.put(pipeline.nodes[node].id(), millis(nanos[node]));
    }
    timings.put("total", millis(total));
    return timings;
  }

  private static double millis(long nanos) {
    return Math.round(nanos / 1000.0) / 1000.0;
  }

  private CompletableFuture<Void> allOf(int[] nodes) {
    CompletableFuture<?>[] futures = new CompletableFuture<?>[nodes.length];
    for (int i = 0; i < nodes.length; i++) {
      futures[i] = done[nodes[i]];
    }
    return CompletableFuture.allOf(futures);
  }
}
