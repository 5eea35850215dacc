package io.framewire.pipeline;

import io.framewire.tools.Tool;
import io.framewire.tools.ToolRegistry;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs pipelines as DAGs: each node on the blocking executor as soon as its predecessors are
 * done, independent branches concurrently.
 *
 * <p>Tool instances: a stateless tool is created once per node for this service and shared by all
 * sessions; a stateful tool is created per session ({@link #openSession}) and closed with it. A
 * run without a session ({@link #runPipeline(String, Map)}) uses a one-shot session closed when
 * the run ends.
 *
 * <p>Results hold the merged outputs of the output nodes, made JSON-safe (no {@code image_bytes},
 * no top-level {@code _} keys, non-JSON values dropped): see docs/pipelines.md.
 */
public final class DagPipelineService implements AutoCloseable {

  private final PipelineRegistry registry;
  private final ToolRegistry tools;
  private final Executor blockingExecutor;
  private final RemoteNodes remoteNodes;
  private final Map<String, PipelineRuntime> runtimes = new ConcurrentHashMap<>();
  private final AtomicInteger openStatefulTools = new AtomicInteger();

  /**
   * @param blockingExecutor where tools run (they may block); never Pekko's default dispatcher
   */
  public DagPipelineService(PipelineRegistry registry, ToolRegistry tools, Executor blockingExecutor) {
    this(registry, tools, blockingExecutor, RemoteNodes.NONE);
  }

  /**
   * @param remoteNodes runs the nodes placed on workers elsewhere (a cluster front), or {@link
   *     RemoteNodes#NONE} to run every node here
   */
  public DagPipelineService(
      PipelineRegistry registry, ToolRegistry tools, Executor blockingExecutor, RemoteNodes remoteNodes) {
    this.remoteNodes = Objects.requireNonNull(remoteNodes, "remoteNodes");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.tools = Objects.requireNonNull(tools, "tools");
    this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    for (PipelineDefinition definition : registry.all()) {
      // The registry compiled its pipelines against its own tools; recompile only if ours differ.
      CompiledPipeline compiled =
          registry.tools() == tools
              ? registry.compiled(definition.id())
              : PipelineValidator.compile(definition, tools);
      runtimes.put(definition.id(), new PipelineRuntime(compiled));
    }
  }

  /** @throws PipelineValidationException naming the first broken rule */
  public void validate(PipelineDefinition pipeline) {
    PipelineValidator.validate(pipeline, tools);
  }

  /** Whether {@code pipelineId} names a registered (hence valid) pipeline; false for null. */
  public boolean isValidPipeline(String pipelineId) {
    return pipelineId != null && runtimes.containsKey(pipelineId);
  }

  public PipelineRegistry registry() {
    return registry;
  }

  /**
   * Opens the tools for one session of one pipeline; close it when the session ends.
   *
   * @throws UnknownPipelineException for an unknown id
   */
  public SessionTools openSession(String pipelineId) {
    return runtime(pipelineId).openSession();
  }

  /**
   * Runs a pipeline once, on fresh per-run instances of its stateful tools.
   *
   * @return the JSON-safe merged outputs of the output nodes (a new mutable map); fails with
   *     {@link PipelineFailure} if a tool fails, {@link UnknownPipelineException} for an unknown id
   */
  public CompletionStage<Map<String, Object>> runPipeline(
      String pipelineId, Map<String, Object> payload) {
    Objects.requireNonNull(payload, "payload");
    PipelineRuntime runtime = pipelineId == null ? null : runtimes.get(pipelineId);
    if (runtime == null) {
      return CompletableFuture.failedFuture(new UnknownPipelineException(pipelineId));
    }
    if (!runtime.pipeline.anyStateful) {
      // Hot path: nothing to create or close per run.
      return PipelineRun.start(runtime.sharedSession(), payload, blockingExecutor);
    }
    SessionTools oneShot;
    try {
      oneShot = runtime.openSession();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    // The run completes only after every node settled, so closing here never pulls a tool from
    // under a running node.
    return PipelineRun.start(oneShot, payload, blockingExecutor)
        .whenComplete((result, error) -> oneShot.close());
  }

  /**
   * Runs one frame with a session's tools. Run at most one frame at a time per session.
   *
   * @throws IllegalArgumentException if the session belongs to another service
   */
  public CompletionStage<Map<String, Object>> runPipeline(
      SessionTools session, Map<String, Object> payload) {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(payload, "payload");
    if (!session.belongsTo(this)) {
      throw new IllegalArgumentException("session was opened by another DagPipelineService");
    }
    if (session.isClosed()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("session for pipeline '" + session.pipelineId() + "' is closed"));
    }
    return PipelineRun.start(session, payload, blockingExecutor);
  }

  /** Stateful tool instances created and not yet closed: 0 once every session is closed. */
  public int openStatefulTools() {
    return openStatefulTools.get();
  }

  /** The order in which the pipeline's nodes are started (predecessors first). */
  public List<String> executionOrder(String pipelineId) {
    return runtime(pipelineId).pipeline.topologicalNodeIds();
  }

  /** Closes the shared stateless tool instances. Close sessions first. */
  @Override
  public void close() {
    runtimes.values().forEach(PipelineRuntime::closeShared);
  }

  void statefulToolClosed() {
    openStatefulTools.decrementAndGet();
  }

  private PipelineRuntime runtime(String pipelineId) {
    PipelineRuntime runtime = pipelineId == null ? null : runtimes.get(pipelineId);
    if (runtime == null) {
      throw new UnknownPipelineException(pipelineId);
    }
    return runtime;
  }

  /** One pipeline's compiled graph and its shared (stateless) tool instances, created lazily. */
  private final class PipelineRuntime {
    final CompiledPipeline pipeline;
    private Tool[] shared; // guarded by this; null until the first session opens
    private volatile SessionTools sharedSession;

    PipelineRuntime(CompiledPipeline pipeline) {
      this.pipeline = pipeline;
    }

    SessionTools openSession() {
      Tool[] sharedTools = sharedTools();
      if (!pipeline.anyStateful) {
        return new SessionTools(DagPipelineService.this, pipeline, sharedTools, 0);
      }
      Tool[] sessionTools = sharedTools.clone();
      int created = 0;
      try {
        for (int i = 0; i < sessionTools.length; i++) {
          if (pipeline.stateful[i]) {
            NodeDefinition node = pipeline.nodes[i];
            sessionTools[i] = tools.create(node.pluginId(), node.toolId(), node.params());
            openStatefulTools.incrementAndGet();
            created++;
          }
        }
      } catch (RuntimeException e) {
        closeCreated(sessionTools, created);
        throw e;
      }
      return new SessionTools(DagPipelineService.this, pipeline, sessionTools, created);
    }

    /** For runs of pipelines without stateful tools: one session, never closed, reused. */
    SessionTools sharedSession() {
      SessionTools session = sharedSession;
      if (session == null) {
        session = new SessionTools(DagPipelineService.this, pipeline, sharedTools(), 0);
        sharedSession = session;
      }
      return session;
    }

    private synchronized Tool[] sharedTools() {
      if (shared == null) {
        Tool[] created = new Tool[pipeline.size()];
        for (int i = 0; i < created.length; i++) {
          if (!pipeline.stateful[i]) {
            NodeDefinition node = pipeline.nodes[i];
            Tool remote = pipeline.onWorker[i] ? remoteNodes.remoteTool(node) : null;
            created[i] = remote != null ? remote : tools.create(node.pluginId(), node.toolId(), node.params());
          }
        }
        shared = created;
      }
      return shared;
    }

    private void closeCreated(Tool[] sessionTools, int created) {
      for (int i = 0; i < sessionTools.length && created > 0; i++) {
        if (pipeline.stateful[i] && sessionTools[i] != null) {
          created--;
          try {
            sessionTools[i].close();
          } catch (RuntimeException ignored) {
            // Already failing to open; the creation error is the one worth reporting.
          } finally {
            openStatefulTools.decrementAndGet();
          }
        }
      }
    }

    synchronized void closeShared() {
      if (shared != null) {
        for (Tool tool : shared) {
          if (tool != null) {
            tool.close();
          }
        }
        shared = null;
        sharedSession = null;
      }
    }
  }
}
