package io.framewire.engine;

import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.pipeline.CompiledPipeline;
import io.framewire.pipeline.NodeDefinition;
import io.framewire.pipeline.PipelineDefinition;
import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.pipeline.PipelineValidationException;
import io.framewire.pipeline.PipelineValidator;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.api.Tool;
import io.framewire.pipeline.ToolRegistry;
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
 * <p>Versions: the service follows its {@link PipelineRegistry}. When a pipeline is replaced or
 * deleted, new sessions get the new version (or none), while sessions already open keep running
 * the version they opened with; the old version's shared tools are closed once the last of those
 * sessions (and one-shot runs) has ended. A session that should follow the edits (a live camera)
 * checks {@link #isLatest} before a frame and moves on with {@link #openSuccessor}, which carries
 * its stateful tools' state over ({@link Tool#continueFrom}).
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
  private final java.util.Set<PipelineRuntime> retiredInUse = ConcurrentHashMap.newKeySet();
  private final NodeTimers timers;
  private final java.util.function.Consumer<PipelineRegistry.Change> onChange = this::onChange;

  /**
   * @param blockingExecutor where tools run (they may block); never Pekko's default dispatcher
   */
  public DagPipelineService(PipelineRegistry registry, ToolRegistry tools, Executor blockingExecutor) {
    this(registry, tools, blockingExecutor, NodeTimers.NONE, RemoteNodes.NONE);
  }

  public DagPipelineService(
      PipelineRegistry registry, ToolRegistry tools, Executor blockingExecutor, NodeTimers timers) {
    this(registry, tools, blockingExecutor, timers, RemoteNodes.NONE);
  }

  /**
   * @param timers told how long each node of each run took (the {@code node_seconds} histogram)
   * @param remoteNodes runs the nodes placed on workers elsewhere (a cluster front), or {@link
   *     RemoteNodes#NONE} to run every node here
   * @throws IllegalArgumentException if {@code tools} is not the registry's (its pipelines were
   *     validated against those)
   */
  public DagPipelineService(
      PipelineRegistry registry,
      ToolRegistry tools,
      Executor blockingExecutor,
      NodeTimers timers,
      RemoteNodes remoteNodes) {
    this.remoteNodes = Objects.requireNonNull(remoteNodes, "remoteNodes");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.tools = Objects.requireNonNull(tools, "tools");
    this.blockingExecutor = Objects.requireNonNull(blockingExecutor, "blockingExecutor");
    this.timers = Objects.requireNonNull(timers, "timers");
    if (registry.tools() != tools) {
      throw new IllegalArgumentException("the pipeline registry was validated against other tools");
    }
    registry.subscribe(
        current -> current.forEach((id, slot) -> runtimes.put(id, new PipelineRuntime(slot))), onChange);
  }

  /** The registry changed (called in order, under its lock): swap the runtime, retire the old one. */
  private void onChange(PipelineRegistry.Change change) {
    PipelineRuntime old = change.current() == null
        ? runtimes.remove(change.id())
        : runtimes.put(change.id(), new PipelineRuntime(change.current()));
    if (old != null) {
      java.util.Set<String> kept = new java.util.HashSet<>();
      if (change.current() != null) {
        for (NodeDefinition node : change.current().compiled().nodes) {
          kept.add(node.id());
        }
      }
      for (NodeDefinition node : old.pipeline.nodes) {
        if (!kept.contains(node.id())) {
          timers.forget(change.id(), node.id());
        }
      }
      old.retire();
    }
  }

  /** @throws PipelineValidationException listing every broken rule */
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
    return openSession(pipelineId, false);
  }

  /**
   * As {@link #openSession(String)}; with {@code timings}, each run's result carries the time each
   * node took under {@link PipelineRun#TIMINGS_KEY} (see {@link #timingsOf}).
   */
  public SessionTools openSession(String pipelineId, boolean timings) {
    while (true) {
      PipelineRuntime runtime = runtime(pipelineId);
      if (runtime.acquire()) {
        try {
          return runtime.openSession(timings);
        } catch (RuntimeException e) {
          runtime.release();
          throw e;
        }
      }
      // Retired and closed between the lookup and the acquire: the map holds its successor now.
    }
  }

  /**
   * Whether {@code session} runs the version of its pipeline registered now: false once the pipeline
   * was replaced (then {@link #openSuccessor}) or deleted ({@link #currentVersion} is 0). One map
   * lookup: cheap enough to ask before every frame.
   */
  public boolean isLatest(SessionTools session) {
    return runtimes.get(session.pipelineId()) == session.runtime;
  }

  /** The version of {@code pipelineId} registered now, or 0 if there is none (deleted, unknown). */
  public int currentVersion(String pipelineId) {
    PipelineRuntime runtime = pipelineId == null ? null : runtimes.get(pipelineId);
    return runtime == null ? 0 : runtime.version;
  }

  /**
   * Opens a session on the current version of {@code old}'s pipeline that continues {@code old}, then
   * closes {@code old}. Each stateful node of the new version whose node id is in {@code old}'s
   * version with the same plugin and tool gets {@link Tool#continueFrom} with {@code old}'s instance
   * (its params may differ); the other nodes start afresh. Timings are kept as {@code old} had them.
   *
   * <p>Call it between two frames of {@code old}, from whoever runs its frames (one frame at a time):
   * the returned session runs the next frame. A close of {@code old} meanwhile waits until the
   * transfer is over, so {@code continueFrom} never reads a closed tool.
   *
   * @throws UnknownPipelineException if the pipeline was deleted
   * @throws IllegalStateException if {@code old} is closed or a run is inside its tools
   * @throws IllegalArgumentException if {@code old} belongs to another service
   * @throws RuntimeException what opening the new version's tools or a {@code continueFrom} threw; the
   *     new session is then closed and {@code old} stays open, to go on running
   */
  public SessionTools openSuccessor(SessionTools old) {
    if (!old.belongsTo(this)) {
      throw new IllegalArgumentException("session was opened by another DagPipelineService");
    }
    old.transferStarted();
    try {
      SessionTools next = openSession(old.pipelineId(), old.timings());
      try {
        continueState(old, next);
      } catch (RuntimeException e) {
        next.close();
        throw e;
      }
      old.close(); // its tools close when the transfer ends, just below
      return next;
    } finally {
      old.runEnded();
    }
  }

  /** Hands each stateful tool of {@code next} its predecessor in {@code old}: same node id, plugin and tool. */
  private static void continueState(SessionTools old, SessionTools next) {
    if (!next.pipeline.anyStateful || !old.pipeline.anyStateful) {
      return;
    }
    Map<String, Integer> oldIndex = new java.util.HashMap<>();
    for (int i = 0; i < old.pipeline.nodes.length; i++) {
      if (old.pipeline.stateful[i]) {
        oldIndex.put(old.pipeline.nodes[i].id(), i);
      }
    }
    for (int i = 0; i < next.pipeline.nodes.length; i++) {
      Integer j = next.pipeline.stateful[i] ? oldIndex.get(next.pipeline.nodes[i].id()) : null;
      if (j != null) {
        NodeDefinition was = old.pipeline.nodes[j];
        NodeDefinition now = next.pipeline.nodes[i];
        if (was.pluginId().equals(now.pluginId()) && was.toolId().equals(now.toolId())) {
          next.tools[i].continueFrom(old.tools[j]);
        }
      }
    }
  }

  /**
   * The node timings a timed session's run left in its result (removing them), in milliseconds by
   * node id in execution order, then {@code total}; null if the result has none.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Double> timingsOf(Map<String, Object> result) {
    if (result == null || !result.containsKey(PipelineRun.TIMINGS_KEY)) {
      return null; // also for results of other runners, which may be immutable
    }
    return (Map<String, Double>) result.remove(PipelineRun.TIMINGS_KEY);
  }

  /** Versions replaced or deleted whose tools are still open because sessions use them (tests, diagnostics). */
  public int retiredVersionsInUse() {
    return retiredInUse.size();
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
    PipelineRuntime runtime;
    do {
      runtime = pipelineId == null ? null : runtimes.get(pipelineId);
      if (runtime == null) {
        return CompletableFuture.failedFuture(new UnknownPipelineException(pipelineId));
      }
    } while (!runtime.acquire());
    PipelineRuntime acquired = runtime;
    if (!runtime.pipeline.anyStateful) {
      // Hot path: nothing to create or close per run.
      return PipelineRun.start(runtime.sharedSession(), payload, blockingExecutor)
          .whenComplete((result, error) -> acquired.release());
    }
    SessionTools oneShot;
    try {
      oneShot = runtime.openSession(false);
    } catch (RuntimeException e) {
      runtime.release();
      return CompletableFuture.failedFuture(e);
    }
    // The run completes only after every node settled, so closing here never pulls a tool from
    // under a running node.
    CompletableFuture<Map<String, Object>> run = PipelineRun.start(oneShot, payload, blockingExecutor);
    // A copy, as in runPipeline(SessionTools, …): a caller's timeout must not skip the close.
    return run.whenComplete((result, error) -> oneShot.close()).copy();
  }

  /**
   * Runs one frame with a session's tools. Run at most one frame at a time per session, unless no
   * tool of it is stateful ({@link SessionTools#isStateless}): stateless tools are shared and called
   * concurrently anyway.
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
    if (!session.runStarted()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("session for pipeline '" + session.pipelineId() + "' is closed"));
    }
    CompletableFuture<Map<String, Object>> run;
    try {
      run = PipelineRun.start(session, payload, blockingExecutor);
    } catch (RuntimeException e) {
      session.runEnded();
      return CompletableFuture.failedFuture(e);
    }
    // The run completes once every node it started has settled (even after a failure), and only then
    // may a closed session's tools be closed. Callers get a copy: a caller completing it early (a frame
    // timeout: orTimeout) neither counts as the run settling nor stops this callback from running.
    return run.whenComplete((result, error) -> session.runEnded()).copy();
  }

  /**
   * Stateful tool instances created and not yet closed: 0 once every session is closed. Read by the
   * leak tests (the count is this service's private state; nothing else shows it).
   */
  public int openStatefulTools() {
    return openStatefulTools.get();
  }

  /** Stops following the registry and closes the shared stateless tool instances. Close sessions first. */
  @Override
  public void close() {
    registry.unsubscribe(onChange);
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

  /**
   * One version of one pipeline: its compiled graph, its shared (stateless) tool instances, created
   * lazily, and how many sessions and runs use it. Once retired (replaced or deleted), the last user
   * to leave closes the shared tools; after that it admits nobody ({@link #acquire} fails).
   */
  private final class PipelineRuntime {
    final CompiledPipeline pipeline;
    final int version;
    final NodeTimer[] nodeTimers;
    private Tool[] shared; // guarded by this; null until the first session opens
    private volatile SessionTools sharedSession;
    /** Sessions and runs using this version; -1 once closed. */
    private final AtomicInteger users = new AtomicInteger();
    private volatile boolean retired;

    PipelineRuntime(PipelineRegistry.Slot slot) {
      this.pipeline = slot.compiled();
      this.version = slot.version();
      this.nodeTimers = new NodeTimer[pipeline.size()];
      for (int i = 0; i < nodeTimers.length; i++) {
        nodeTimers[i] = timers.forNode(pipeline.id(), pipeline.nodes[i].id());
      }
    }

    boolean acquire() {
      while (true) {
        int n = users.get();
        if (n < 0) {
          return false;
        }
        if (users.compareAndSet(n, n + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (users.decrementAndGet() == 0 && retired) {
        closeIfUnused();
      }
    }

    void retire() {
      retiredInUse.add(this);
      retired = true;
      closeIfUnused();
    }

    private void closeIfUnused() {
      if (users.compareAndSet(0, -1)) {
        try {
          closeShared();
        } finally {
          retiredInUse.remove(this);
        }
      }
    }

    SessionTools openSession(boolean timings) {
      Tool[] sharedTools = sharedTools();
      if (!pipeline.anyStateful) {
        return new SessionTools(DagPipelineService.this, this, this::sessionClosed, pipeline, version, sharedTools, 0,
            nodeTimers, timings);
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
      return new SessionTools(DagPipelineService.this, this, this::sessionClosed, pipeline, version, sessionTools, created,
          nodeTimers, timings);
    }

    private void sessionClosed() {
      release();
    }

    /** For runs of pipelines without stateful tools: one session, never closed, reused. */
    SessionTools sharedSession() {
      SessionTools session = sharedSession;
      if (session == null) {
        session = new SessionTools(DagPipelineService.this, this, () -> {}, pipeline, version, sharedTools(), 0,
            nodeTimers, false);
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
