package io.framewire.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import io.framewire.testing.WsTestClient;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** 50 clients connect at the same moment to a server allowing 10 sessions: exactly 10 get one. */
class SessionLimitTest {

  static final byte[] JPEG = TestJpegs.solid(32, 24, Color.GREEN);
  static final int LIMIT = 10;
  static final int CLIENTS = 50;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Map.of("framewire.stream.max-sessions", LIMIT));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void concurrentConnectsAdmitExactlyTheLimit() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    List<WsTestClient> clients = new ArrayList<>();
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<WsTestClient>> connects = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        connects.add(pool.submit(() -> {
          go.await();
          return server.stream("counting");
        }));
      }
      go.countDown();
      for (Future<WsTestClient> connect : connects) {
        clients.add(connect.get());
      }
      // every handshake is answered after its admission decision, so the count is final now
      assertEquals(LIMIT, server.activeSessions());
      assertEquals(LIMIT, server.server.dag().openStatefulTools());
      TestServer.await("the refused ones are told and closed",
          () -> clients.stream().filter(WsTestClient::isClosed).count() == CLIENTS - LIMIT);
      int admitted = 0;
      for (WsTestClient client : clients) {
        if (client.isClosed()) {
          JsonNode error = client.next();
          assertEquals("too_many_sessions", error.get("error").asText(), error.toString());
        } else {
          client.sendBinary(JPEG);
          assertEquals(0, client.next().get("frame_index").asInt());
          admitted++;
        }
      }
      assertEquals(LIMIT, admitted);
      assertEquals((double) CLIENTS - LIMIT, server.server.metrics().errors.labels("too_many_sessions").get());
    } finally {
      clients.forEach(WsTestClient::abort);
      pool.shutdownNow();
    }
    TestServer.await("sessions return to zero", () -> server.activeSessions() == 0);
    TestServer.await("stateful tools closed", () -> server.server.dag().openStatefulTools() == 0);
    try (WsTestClient again = server.stream("counting")) {
      again.sendBinary(JPEG);
      assertEquals(0, again.next().get("frame_index").asInt(), "slots free again");
    }
  }
}
