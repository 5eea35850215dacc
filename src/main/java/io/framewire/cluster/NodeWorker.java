package io.framewire.cluster;

import io.framewire.metrics.ClusterMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * A worker's endpoint: registered with the Receptionist under {@link #KEY}, it runs the nodes fronts
 * send it ({@link RunNode}) through the normal tool path ({@link WorkerNodeRunner}) and replies to the
 * sender's router. It keeps no per-call state: the actor only hands each call to the runner, so
 * calls run concurrently (one shared tool instance per node configuration: a batching tool batches
 * across every front's sessions).
 */
public final class NodeWorker {

  /** The actor's name under /user; also a large-message destination in application.conf. */
  public static final String NAME = "framewire-worker";
  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "framewire-node-worker");

  private NodeWorker() {}

  public sealed interface Command {}

  /**
   * Run one node on one frame.
   *
   * @param params the node's params as JSON text
   * @param jpeg the frame
   * @param inputs the node's other inputs: its predecessors' JSON-safe outputs (a JSON object)
   */
  public record RunNode(
      long requestId,
      String nodeId,
      String pluginId,
      String toolId,
      String params,
      long frameIndex,
      byte[] jpeg,
      JsonNode inputs,
      ActorRef<WorkerRouter.Reply> replyTo) implements Command, ClusterMessage {}

  /** Stop accepting: deregister (fronts stop choosing this worker); calls already here still run. */
  record Deregister() implements Command, org.apache.pekko.actor.NoSerializationVerificationNeeded {}

  public static Behavior<Command> create(WorkerNodeRunner runner, ClusterMetrics metrics) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
      return Behaviors.receive(Command.class)
          .onMessage(RunNode.class, call -> {
            long start = System.nanoTime();
            runner.run(call).whenComplete((outputs, error) -> {
              metrics.workerSeconds.observe((System.nanoTime() - start) / 1e9);
              if (error == null) {
                metrics.workerRuns.labels(ClusterMetrics.OK).inc();
                call.replyTo().tell(new WorkerRouter.NodeDone(call.requestId(), WireJson.toTree(outputs)));
              } else {
                metrics.workerRuns.labels(ClusterMetrics.TOOL_ERROR).inc();
                call.replyTo().tell(new WorkerRouter.NodeFailed(call.requestId(), WorkerNodeRunner.describe(error)));
              }
            });
            return Behaviors.same();
          })
          .onMessage(Deregister.class, msg -> {
            ctx.getSystem().receptionist().tell(Receptionist.deregister(KEY, ctx.getSelf()));
            return Behaviors.same();
          })
          .build();
    });
  }
}
