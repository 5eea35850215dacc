package io.framewire.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM runs Pekko's coordinated shutdown (here run in-process, with the reason the JVM's hook
 * uses): the server stops accepting, the frame in flight is answered, every session is told
 * {@code server_shutting_down} and closed, and the system stops within {@code SHUTDOWN_DEADLINE_MS}.
 */
class GracefulShutdownTest {

  static final byte[] JPEG = TestJpegs.solid(32, 24, Color.GREEN);

  private static CompletableFuture<Done> sigterm(TestServer server) {
    return CoordinatedShutdown.get(server.server.system())
        .runAll(CoordinatedShutdown.jvmExitReason()).toCompletableFuture();
  }

  @Test
  void inFlightFramesAreAnsweredThenSessionsAreToldAndClosed() throws Exception {
    TestServer server = TestServer.start(Map.of("framewire.shutdown.deadline-ms", 5000));
    try (WsTestClient busy = server.stream("gated"); WsTestClient idle = server.stream("echo")) {
      idle.sendBinary(JPEG);
      assertEquals(0, idle.next().get("frame_index").asInt());
      busy.sendBinary(JPEG);
      server.gate.awaitEntered(); // frame 0 of the busy session is inside the pipeline

      long start = System.nanoTime();
      CompletableFuture<Done> shutdown = sigterm(server);

      // the idle session is told at once and closed; by then the server no longer accepts
      JsonNode told = idle.next();
      assertEquals("server_shutting_down", told.get("error").asText(), told.toString());
      assertEquals(1000, idle.awaitClose().code());
      assertThrows(IOException.class, () -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
        }
      }, "no new connections once shutdown has begun");

      // the busy session waits for its frame: its answer comes first, then the error, then the close
      assertTrue(busy.pending().isEmpty(), "nothing for the busy session before its frame is done");
      server.gate.release(1);
      JsonNode answer = busy.next();
      assertEquals(0, answer.get("frame_index").asInt(), answer.toString());
      assertTrue(answer.has("result") && answer.get("result").toString().contains("gated_frame"), answer.toString());
      assertEquals("server_shutting_down", busy.next().get("error").asText());
      assertEquals(1000, busy.awaitClose().code());

      shutdown.get(5, TimeUnit.SECONDS);
      server.server.system().getWhenTerminated().toCompletableFuture().get(5, TimeUnit.SECONDS);
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(elapsedMs < 5000, "stopped within the deadline: " + elapsedMs + " ms");
      assertEquals(0, server.server.metrics().sessionsActive.get());
      assertEquals(0, server.server.dag().openStatefulTools());
      assertEquals(2, server.server.metrics().errors.labels("server_shutting_down").get());
    } finally {
      server.close();
    }
  }

  @Test
  void aFrameThatWillNotFinishDoesNotHoldTheShutdownPastTheDeadline() throws Exception {
    TestServer server = TestServer.start(Map.of(
        "framewire.shutdown.deadline-ms", 2000,
        "framewire.stream.frame-timeout-ms", 60000));
    try (WsTestClient stuck = server.stream("hanging")) {
      stuck.sendBinary(JPEG);
      TestServer.await("the frame is in the pipeline",
          () -> server.server.metrics().framesReceived.get() == 1);
      long start = System.nanoTime();
      sigterm(server);
      server.server.system().getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertTrue(elapsedMs < 2000, "stopped within the 2000 ms deadline: " + elapsedMs + " ms");
      assertTrue(stuck.awaitCloseOrError(), "the connection was ended");
    } finally {
      server.close();
    }
  }
}
