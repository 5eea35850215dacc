package io.framewire.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.framewire.testing.RawWsClient;
import io.framewire.testing.StreamServers;
import io.framewire.testing.TestJpegs;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket doors of a real server under hostile messages: mutated and truncated JPEGs (real
 * ones from {@link TestJpegs}), random bytes, empty and text messages, and frames that break the
 * protocol (unmasked, reserved opcodes, a lone continuation). Every message the server sends is
 * JSON of the protocol (a result, a drop, a warning, or the {@code {"error","detail"}} shape without
 * a class name); after an error the server closes; a session that got no error still answers a
 * valid frame; and the server answers {@code /health} after each case.
 */
class WebSocketFuzzTest {

  private static FuzzServer fuzz;
  private static final List<byte[]> JPEGS = List.of(
      TestJpegs.scene(160, 120, 1), TestJpegs.progressive(96, 64), TestJpegs.qrCode("fuzz", 120),
      TestJpegs.grayscale(64, 48, 128), TestJpegs.noise(80, 60, 2));
  private static final byte[] VALID = TestJpegs.scene(64, 48, 3);

  @BeforeAll
  static void start() throws Exception {
    fuzz = new FuzzServer();
    // A camera nobody serves: its watchers exist, its answers are errors and reconnects.
    HttpResponse<String> created = fuzz.client.send(HttpRequest.newBuilder(fuzz.uri("/sources"))
        .header("Content-Type", "application/json").timeout(FuzzServer.TIMEOUT)
        .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"cam\",\"url\":\"tcp://127.0.0.1:"
            + StreamServers.freePort() + "\",\"pipeline_id\":\"echo\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, created.statusCode(), created.body());
  }

  @AfterAll
  static void stop() {
    if (fuzz != null) {
      fuzz.close();
    }
  }

  /** One client message: a data message or a raw frame. */
  record Message(String kind, int opcode, boolean fin, boolean masked, byte[] payload) {
    @Override
    public String toString() {
      return kind + "(" + payload.length + " bytes" + (payload.length > 0 && opcode == 1
          ? ": " + Answers.clip(new String(payload, StandardCharsets.UTF_8)) : "") + ")";
    }
  }

  /** A session's messages to one WebSocket path. */
  record Case(String path, List<Message> messages) {}

  @Test
  void videoStreamSessionsAnswerEveryMessageOrEndWithAJsonError() {
    Gen<String> path = Gen.frequency(
        Gen.weight(8, Gen.of("echo", "inspect", "motion").map(p -> "/ws/video/stream?pipeline_id=" + p)),
        Gen.weight(1, Gen.of("/ws/video/stream", "/ws/video/stream?pipeline_id=", "/ws/video/stream?pipeline_id=nope",
            "/ws/video/stream?pipeline_id=echo&timings=1&x=%00")));
    Fuzz.check("ws-video", 200, r -> new Case(path.next(r), message().list(1, 4).next(r)), (c, stats) -> {
      try (RawWsClient client = RawWsClient.connect(fuzz.port(), c.path(), Map.of())) {
        assertEquals(101, client.handshake.status(), "the stream always upgrades: " + client.handshake);
        boolean open = !c.path().endsWith("pipeline_id=echo") && !c.path().endsWith("pipeline_id=inspect")
            && !c.path().endsWith("pipeline_id=motion") && !c.path().contains("echo&timings")
            ? expectErrorThenClose(client, stats, "refused") : true;
        for (Message m : c.messages()) {
          if (!open) {
            break;
          }
          send(client, m);
          if (m.kind().equals("ping")) {
            continue;
          }
          String answer = next(client);
          if (answer == null) {
            stats.collect("outcome", m.kind() + " → closed");
            open = false;
            break;
          }
          JsonNode json = protocolMessage(c + " " + m, answer);
          if (json.has("error")) {
            stats.collect("outcome", m.kind() + " → " + json.get("error").asText());
            assertEquals(null, next(client), "after an error the session closes");
            open = false;
          } else {
            stats.collect("outcome", m.kind() + " → result");
          }
        }
        if (open) {
          client.sendBinary(VALID);
          JsonNode answer = protocolMessage(c + " then a valid frame", next(client));
          assertTrue(answer.has("result"), "the session survives: " + answer);
        }
      }
      fuzz.assertHealthy(c.toString());
    });
  }

  /** A case for a watcher door: the door, its path and query, and the messages. */
  record WatcherCase(Doors.WsDoor door, boolean known, String path, List<Message> messages) {}

  @Test
  void sourceWatchersAndTheEventTailSurviveRandomMessages() {
    Gen<WatcherCase> cases = r -> {
      Doors.WsDoor door = Gen.of(Doors.WEBSOCKETS).next(r);
      boolean known = r.nextInt(5) < 3;
      String path = door.path().replaceAll("\\{[a-z]+}", known ? "cam" : HttpFuzzTest.uriSafe(FuzzJson.segment().next(r)));
      String query = r.nextInt(3) == 0 ? "" : "?" + HttpFuzzTest.uriSafe(FuzzJson.query().next(r));
      return new WatcherCase(door, known || !door.path().contains("{"), path + query, message().list(0, 4).next(r));
    };
    Fuzz.check("ws-watchers", 150, cases, (c, stats) -> {
      try (RawWsClient client = RawWsClient.connect(fuzz.port(), c.path(), Map.of())) {
        String label = c.door().path() + (c.known() ? "" : " (unknown id)");
        if (client.handshake.status() != 101) {
          stats.collect(label, client.handshake.status());
          Answers.assertWellFormed(c.toString(), client.handshake.status(),
              client.handshake.headers().get("content-type"), client.handshake.body());
          return;
        }
        stats.collect(label, 101);
        if (c.door().first() == Doors.First.TAILING) {
          JsonNode first = Answers.JSON.readTree(next(client));
          assertTrue(first.get("tailing").asBoolean(), first.toString());
        } else if (c.door().first() == Doors.First.ERROR_UNLESS_KNOWN && !c.known()) {
          expectErrorThenClose(client, stats, "refused");
          return;
        }
        for (Message m : c.messages()) {
          send(client, m);
        }
      } catch (SocketException closedUnderUs) {
        stats.collect("closed while sending", c.door().path());
      }
      fuzz.assertHealthy(c.toString());
    });
  }

  /** Reads one error message and then the close; false (the session is over). */
  private static boolean expectErrorThenClose(RawWsClient client, Fuzz.Stats stats, String label) throws IOException {
    String text = next(client);
    JsonNode error = Answers.assertErrorJson(label, text);
    stats.collect(label, error.get("error").asText());
    assertEquals(null, next(client), "after an error the connection closes");
    return false;
  }

  /** Text of a protocol message: a result, a drop, a warning or the error shape. */
  private static JsonNode protocolMessage(String what, String text) throws IOException {
    if (text == null) {
      throw new AssertionError(what + ": closed without a message");
    }
    JsonNode json = Answers.JSON.readTree(text);
    if (json.has("error")) {
      Answers.assertErrorJson(what, text);
    } else {
      assertTrue(json.has("result") || json.has("dropped") || json.has("warning"), what + ": " + text);
      Answers.assertNoLeak(what, text);
    }
    return json;
  }

  /** The next text message, or null once the server closed (close frame or end of stream). */
  private static String next(RawWsClient client) throws IOException {
    while (true) {
      RawWsClient.Frame frame;
      try {
        frame = client.readFrame();
      } catch (EOFException | SocketException closed) {
        return null;
      }
      if (frame.opcode() == 1) {
        return new String(frame.payload(), StandardCharsets.UTF_8);
      }
      if (frame.opcode() == 8) {
        return null;
      }
    }
  }

  private static void send(RawWsClient client, Message m) throws IOException {
    client.sendFrame(m.opcode(), m.fin(), m.payload(), m.masked());
  }

  static Gen<Message> message() {
    Gen<byte[]> jpeg = Gen.of(JPEGS);
    return Gen.frequency(
        Gen.weight(6, r -> binary("mutated jpeg", mutate(jpeg.next(r), r))),
        Gen.weight(3, r -> {
          byte[] j = jpeg.next(r);
          return binary("truncated jpeg", Arrays.copyOf(j, r.nextInt(j.length)));
        }),
        Gen.weight(2, r -> binary("valid jpeg", jpeg.next(r))),
        Gen.weight(1, r -> binary("huge declared size", TestJpegs.withDeclaredSize(jpeg.next(r), 60_000, 60_000))),
        Gen.weight(2, Gen.bytes(2_000).map(b -> binary("random bytes", b))),
        Gen.weight(1, Gen.constant(binary("empty", new byte[0]))),
        Gen.weight(1, r -> binary("soi+eoi only", new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9})),
        Gen.weight(2, FuzzJson.value(2).map(s -> new Message("text", 1, true, true, s.getBytes(StandardCharsets.UTF_8)))),
        Gen.weight(1, Gen.bytes(100).map(b -> new Message("ping", 9, true, true, b))),
        Gen.weight(1, Gen.bytes(50).map(b -> new Message("unmasked", 2, true, false, b))),
        Gen.weight(1, r -> new Message("reserved opcode", Gen.of(3, 4, 11, 15).next(r), true, true, new byte[3])),
        Gen.weight(1, Gen.bytes(50).map(b -> new Message("lone continuation", 0, true, true, b))));
  }

  private static Message binary(String kind, byte[] payload) {
    return new Message(kind, 2, true, true, payload);
  }

  /** Flips, overwrites, deletes or inserts a few bytes (keeping SOI and EOI most of the time). */
  static byte[] mutate(byte[] jpeg, SplittableRandom r) {
    byte[] out = jpeg.clone();
    int edits = 1 + r.nextInt(20);
    for (int i = 0; i < edits; i++) {
      int at = 2 + r.nextInt(Math.max(1, out.length - 4));
      switch (r.nextInt(4)) {
        case 0 -> out[at] ^= (byte) (1 << r.nextInt(8));
        case 1 -> out[at] = (byte) r.nextInt(256);
        case 2 -> { // a marker where the data was
          out[at] = (byte) 0xff;
          if (at + 1 < out.length - 2) {
            out[at + 1] = (byte) (0xc0 + r.nextInt(64));
          }
        }
        default -> { // delete a run of bytes
          int len = Math.min(1 + r.nextInt(64), out.length - at - 2);
          byte[] shorter = new byte[out.length - Math.max(0, len)];
          System.arraycopy(out, 0, shorter, 0, at);
          System.arraycopy(out, at + Math.max(0, len), shorter, at, out.length - at - Math.max(0, len));
          out = shorter;
        }
      }
    }
    return out;
  }
}
