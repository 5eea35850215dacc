package io.framewire.cluster;

import io.framewire.pipeline.JsonSafe;
import io.framewire.pipeline.NodeDefinition;
import io.framewire.api.AsyncTool;
import io.framewire.api.image.DecodedFrame;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A node placed on a worker, as a front runs it: the frame (its JPEG bytes) and the node's JSON-safe
 * inputs go to the {@link WorkerRouter}, which sends them to a worker; the stage completes with the
 * worker's outputs. Holds no thread while the worker works. Shared by every session (stateless).
 */
final class RemoteNodeTool implements AsyncTool {

  private final NodeDefinition node;
  private final String params;
  private final ActorRef<WorkerRouter.Command> router;

  RemoteNodeTool(NodeDefinition node, ActorRef<WorkerRouter.Command> router) {
    this.node = node;
    this.params = node.params() == null ? "{}" : node.params().toString();
    this.router = router;
  }

  @Override
  public CompletionStage<Map<String, Object>> applyAsync(Map<String, Object> input) {
    byte[] jpeg;
    if (input.get("image_bytes") instanceof byte[] bytes) {
      jpeg = bytes;
    } else if (input.get(DecodedFrame.KEY) instanceof DecodedFrame frame) {
      jpeg = frame.jpeg(); // a decoded frame (video source): encoded once, shared with other nodes
    } else {
      return CompletableFuture.failedFuture(new IllegalArgumentException("input has no frame to send to a worker"));
    }
    long frameIndex = input.get("frame_index") instanceof Number n ? n.longValue() : -1;
    Map<String, Object> inputs = JsonSafe.wireSafe(input);
    inputs.remove("frame_index");
    CompletableFuture<Map<String, Object>> result = new CompletableFuture<>();
    router.tell(new WorkerRouter.Dispatch(
        new WorkerRouter.NodeCall(node.id(), node.pluginId(), node.toolId(), params, frameIndex, jpeg,
            WireJson.toTree(inputs)),
        result));
    return result;
  }

  @Override
  public String toString() {
    return "RemoteNodeTool[" + node.id() + " = " + node.pluginId() + "/" + node.toolId() + "]";
  }
}
