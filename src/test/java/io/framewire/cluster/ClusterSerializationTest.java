package io.framewire.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.framewire.sources.SourceEntity;
import io.framewire.sources.SourceManager;
import io.framewire.sources.SourceSpec;
import io.framewire.sources.SourceStats;
import org.junit.jupiter.api.Test;

/**
 * Every message that crosses nodes goes through Jackson CBOR with application.conf's bindings, and
 * comes back equal; anything else cannot be sent (Java serialization is off).
 */
class ClusterSerializationTest {

  private static ActorSystem<Void> system;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    ClusterSettings settings = new ClusterSettings(true, Set.of("front"), "127.0.0.1", 0,
        List.of("127.0.0.1:1"), 4, 4);
    Config config = settings.pekkoConfig(5 * 1024 * 1024)
        .withValue("pekko.cluster.seed-nodes", com.typesafe.config.ConfigValueFactory.fromIterable(List.of()))
        .withFallback(ConfigFactory.load());
    system = ActorSystem.create(Behaviors.empty(), ClusterSettings.SYSTEM_NAME, config);
    serialization = SerializationExtension.get(Adapter.toClassic(system));
  }

  @AfterAll
  static void stop() {
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }

  private static Object roundTrip(Object message) {
    Serializer serializer = serialization.findSerializerFor(message);
    assertEquals("JacksonCborSerializer", serializer.getClass().getSimpleName(), message.getClass().getName());
    byte[] bytes = serialization.serialize(message).get();
    return serialization.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message)).get();
  }

  @Test
  void aNodeCallAndItsAnswersRoundTrip() {
    ActorRef<WorkerRouter.Reply> replyTo = Adapter.toTyped(Adapter.toClassic(system).deadLetters());
    Map<String, Object> inputs = Map.of("bytes", 1234, "_boxes", List.of(Map.of("x", 1, "y", 2.5)), "label", "cat");
    NodeWorker.RunNode call = new NodeWorker.RunNode(7, "heavy", "onnx", "detect", "{\"threshold\":0.5}", 42,
        new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, (byte) 0xFF, (byte) 0xD9}, WireJson.toTree(inputs), replyTo);
    NodeWorker.RunNode back = (NodeWorker.RunNode) roundTrip(call);
    assertEquals(7, back.requestId());
    assertEquals("heavy", back.nodeId());
    assertEquals("onnx", back.pluginId());
    assertEquals("detect", back.toolId());
    assertEquals("{\"threshold\":0.5}", back.params());
    assertEquals(42, back.frameIndex());
    assertArrayEquals(call.jpeg(), back.jpeg());
    Map<String, Object> inputsBack = WireJson.toMap(back.inputs());
    assertEquals(inputs, inputsBack);
    assertTrue(inputsBack.get("_boxes") instanceof java.util.ArrayList<?> boxes && boxes.get(0) instanceof java.util.LinkedHashMap<?, ?>,
        "nested values come back as Java collections, not Scala ones: " + inputsBack.get("_boxes").getClass());
    assertEquals(replyTo.path(), back.replyTo().path());

    Map<String, Object> outputs = Map.of("detections", List.of(Map.of("label", "person", "score", 0.91)), "count", 1);
    WorkerRouter.NodeDone done = (WorkerRouter.NodeDone) roundTrip(new WorkerRouter.NodeDone(7, WireJson.toTree(outputs)));
    assertEquals(7, done.requestId());
    assertEquals(outputs, WireJson.toMap(done.outputs()));
    assertEquals(new WorkerRouter.NodeFailed(7, "model not found"), roundTrip(new WorkerRouter.NodeFailed(7, "model not found")));
  }

  @Test
  void aSharedPipelineVersionAndItsDeletionRoundTrip() {
    PipelineReplicator.Entry entry = new PipelineReplicator.Entry(3, "{\"id\":\"p\"}");
    assertEquals(entry, roundTrip(entry));
    assertEquals(new PipelineReplicator.Entry(4, null), roundTrip(new PipelineReplicator.Entry(4, null)));
    assertTrue(new PipelineReplicator.Entry(4, null).order() > new PipelineReplicator.Entry(4, "{}").order(),
        "a deletion wins over the version it removed");
    assertTrue(new PipelineReplicator.Entry(5, "{}").order() > new PipelineReplicator.Entry(4, null).order(),
        "the next version wins over the deletion");
  }

  @Test
  void aCamerasCommandsAndRepliesRoundTrip() {
    ActorRef<io.framewire.sources.SourceManager.CreateReply> createReply =
        Adapter.toTyped(Adapter.toClassic(system).deadLetters());
    SourceSpec spec = new SourceSpec("cam1", "rtsp://user:secret@10.0.0.9/stream", "motion");
    SourceEntity.Create create = (SourceEntity.Create) roundTrip(new SourceEntity.Create(spec, createReply));
    assertEquals(spec, create.spec());
    assertEquals(createReply.path(), create.replyTo().path());
    SourceStats.Snapshot snapshot = new SourceStats.Snapshot("cam1", "rtsp://***@10.0.0.9/stream", "motion", 3, null,
        "running", 10, 9, 1, 0, 5.0, 640, 480, 2, null, "10.0.0.2:17355", "2026-12-06T10:00:00Z");
    assertEquals(new SourceEntity.StatusReply(snapshot), roundTrip(new SourceEntity.StatusReply(snapshot)));
    assertEquals(new SourceEntity.StatusReply(null), roundTrip(new SourceEntity.StatusReply(null)));
    assertEquals(new SourceManager.Created(snapshot), roundTrip(new SourceManager.Created(snapshot)));
    assertEquals(new SourceManager.Refused(409, "source_exists", "taken"),
        roundTrip(new SourceManager.Refused(409, "source_exists", "taken")));
    SourceEntity.PreviewReply preview = (SourceEntity.PreviewReply) roundTrip(
        new SourceEntity.PreviewReply("OK", new byte[] {(byte) 0xFF, (byte) 0xD8, 7}));
    assertEquals("OK", preview.outcome());
    assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xD8, 7}, preview.jpeg());
    assertEquals(new SourceEntity.Watchers(-1), roundTrip(new SourceEntity.Watchers(-1)));
    assertEquals(new SourceEntity.DeleteReply(true), roundTrip(new SourceEntity.DeleteReply(true)));
  }

  @Test
  void messagesNotMeantToCrossNodesCannotBeSerialized() {
    // Java serialization is off: an unmarked message fails to send instead of slipping through.
    Object local = new WorkerRouter.NodeCall("n", "p", "t", "{}", 1, new byte[0], WireJson.toTree(Map.of()));
    assertTrue(serialization.serialize(local).isFailure());
  }
}
