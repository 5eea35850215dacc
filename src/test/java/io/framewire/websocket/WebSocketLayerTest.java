package io.framewire.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.testing.RawWsClient;
import io.framewire.testing.TestJpegs;
import io.framewire.testing.TestServer;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The WebSocket protocol as a client meets it, byte by byte on a raw socket, on both message layers
 * ({@code framewire.stream.websocket-layer}): the two must be indistinguishable. Every other stream
 * test runs on the default (framewire) layer.
 */
class WebSocketLayerTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] JPEG = TestJpegs.solid(32, 24, Color.BLUE);
  /** 0.01 MiB: small enough to cross with a few fragments. */
  static final int LIMIT = (int) Math.round(0.01 * 1024 * 1024);
  static final Map<WebSocketLayer.Kind, TestServer> servers = new EnumMap<>(WebSocketLayer.Kind.class);

  @BeforeAll
  static void start() {
    for (WebSocketLayer.Kind kind : WebSocketLayer.Kind.values()) {
      servers.put(kind, TestServer.start(Map.of(
          "framewire.stream.websocket-layer", kind.name().toLowerCase(),
          "framewire.stream.max-frame-size-mb", 0.01,
          "pekko.http.server.websocket.periodic-keep-alive-max-idle", "300 ms")));
    }
  }

  @AfterAll
  static void stop() {
    servers.values().forEach(TestServer::close);
  }

  private static RawWsClient connect(WebSocketLayer.Kind kind) {
    RawWsClient client = RawWsClient.connect(servers.get(kind).port(), "/ws/video/stream?pipeline_id=echo", Map.of());
    assertEquals(101, client.handshake.status());
    return client;
  }

  private static JsonNode answer(RawWsClient client) throws IOException {
    return JSON.readTree(client.readText());
  }

  /** The next frame that is not a keep-alive ping. */
  private static RawWsClient.Frame nextNonPing(RawWsClient client) throws IOException {
    RawWsClient.Frame frame = client.readFrame();
    while (frame.opcode() == 9) {
      frame = client.readFrame();
    }
    return frame;
  }

  private static int closeCode(RawWsClient.Frame close) {
    assertEquals(8, close.opcode(), "a close frame");
    return ((close.payload()[0] & 0xff) << 8) | (close.payload()[1] & 0xff);
  }

  @ParameterizedTest
  @EnumSource(WebSocketLayer.Kind.class)
  void aFrameInFragmentsWithAPingBetweenIsOneFrame(WebSocketLayer.Kind kind) throws IOException {
    try (RawWsClient client = connect(kind)) {
      int third = JPEG.length / 3;
      client.sendFrame(0x2, false, Arrays.copyOfRange(JPEG, 0, third), true);
      client.sendFrame(0x9, true, "are you there".getBytes(StandardCharsets.UTF_8), true);
      client.sendFrame(0x0, false, Arrays.copyOfRange(JPEG, third, 2 * third), true);
      client.sendFrame(0x0, true, Arrays.copyOfRange(JPEG, 2 * third, JPEG.length), true);

      RawWsClient.Frame pong = nextNonPing(client);
      assertEquals(10, pong.opcode(), "the ping in the middle of the message is answered at once");
      assertArrayEquals("are you there".getBytes(StandardCharsets.UTF_8), pong.payload());
      JsonNode result = answer(client);
      assertEquals(0, result.get("frame_index").asInt(), result.toString());
      assertEquals(JPEG.length, result.findValue("bytes").asInt(), "all fragments, in order: " + result);
    }
  }

  @ParameterizedTest
  @EnumSource(WebSocketLayer.Kind.class)
  void aFrameOfExactlyTheLimitPassesAndOneByteMoreDoesNot(WebSocketLayer.Kind kind) throws IOException {
    byte[] atLimit = padded(LIMIT);
    try (RawWsClient client = connect(kind)) {
      for (int at = 0; at < LIMIT; at += 4000) {
        client.sendFrame(at == 0 ? 0x2 : 0x0, at + 4000 >= LIMIT, Arrays.copyOfRange(atLimit, at, Math.min(LIMIT, at + 4000)), true);
      }
      JsonNode result = answer(client);
      assertEquals(LIMIT, result.path("result").findPath("bytes").asInt(), result.toString());

      byte[] overLimit = padded(LIMIT + 1);
      for (int at = 0; at <= LIMIT; at += 4000) {
        client.sendFrame(at == 0 ? 0x2 : 0x0, at + 4000 > LIMIT, Arrays.copyOfRange(overLimit, at, Math.min(LIMIT + 1, at + 4000)), true);
      }
      JsonNode error = answer(client);
      assertEquals("frame_too_large", error.get("error").asText(), error.toString());
    }
  }

  /** The JPEG grown to {@code size} bytes by a comment segment (FF FE) right after its start marker. */
  static byte[] padded(int size) {
    int segment = size - JPEG.length - 2; // the comment's length field counts itself
    byte[] out = new byte[size];
    out[0] = (byte) 0xFF;
    out[1] = (byte) 0xD8;
    out[2] = (byte) 0xFF;
    out[3] = (byte) 0xFE;
    out[4] = (byte) (segment >>> 8);
    out[5] = (byte) segment;
    System.arraycopy(JPEG, 2, out, 4 + segment, JPEG.length - 2);
    return out;
  }

  @ParameterizedTest
  @EnumSource(WebSocketLayer.Kind.class)
  void aTextMessageInFragmentsIsRefused(WebSocketLayer.Kind kind) throws IOException {
    try (RawWsClient client = connect(kind)) {
      client.sendFrame(0x1, false, "{\"frame\":".getBytes(StandardCharsets.UTF_8), true);
      client.sendFrame(0x0, true, "1}".getBytes(StandardCharsets.UTF_8), true);
      assertEquals("invalid_message", answer(client).get("error").asText());
    }
  }

  @ParameterizedTest
  @EnumSource(WebSocketLayer.Kind.class)
  void anUnmaskedFrameIsAProtocolError(WebSocketLayer.Kind kind) throws IOException {
    try (RawWsClient client = connect(kind)) {
      client.sendFrame(0x2, true, JPEG, false);
      assertEquals(1002, closeCode(nextNonPing(client)));
    }
  }

  @ParameterizedTest
  @EnumSource(WebSocketLayer.Kind.class)
  void theClientsCloseIsAnsweredAndTheConnectionEnds(WebSocketLayer.Kind kind) throws IOException {
    try (RawWsClient client = connect(kind)) {
      client.sendBinary(JPEG);
      assertEquals(0, answer(client).get("frame_index").asInt());
      client.sendClose(1000);
      assertEquals(1000, closeCode(nextNonPing(client)));
      client.readToEnd(); // returns at the server's FIN; a hang fails on the socket timeout
    }
    TestServer.await("the session ended", () -> servers.get(kind).activeSessions() == 0);
  }

  @ParameterizedTest
  @EnumSource(WebSocketLayer.Kind.class)
  void anIdleClientIsPinged(WebSocketLayer.Kind kind) throws IOException {
    try (RawWsClient client = connect(kind)) {
      assertEquals(9, client.readFrame().opcode(), "a ping after the keep-alive idle time (300 ms)");
      client.sendBinary(JPEG);
      assertEquals(0, answer(client).get("frame_index").asInt(), "the session goes on");
    }
  }

  @ParameterizedTest
  @EnumSource(WebSocketLayer.Kind.class)
  void aTruncatedFrameThenCloseEndsTheSession(WebSocketLayer.Kind kind) {
    RawWsClient client = connect(kind);
    assertThrows(IOException.class, () -> {
      client.sendFrame(0x2, false, Arrays.copyOf(JPEG, 100), true);
      client.sendClose(1000); // in the middle of a fragmented message
      while (true) {
        RawWsClient.Frame frame = nextNonPing(client);
        if (frame.opcode() == 8) {
          client.readToEnd();
          throw new IOException("closed");
        }
      }
    });
    client.close();
    TestServer.await("the session ended", () -> servers.get(kind).activeSessions() == 0);
  }
}
