package io.framewire.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.testing.RawWsClient;
import io.framewire.testing.TestServer;
import io.framewire.testing.TestJpegs;
import java.awt.Color;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cross-site WebSocket hijacking: a page on another site must not open a stream with the user's
 * browser; with a token configured, nobody opens one without it. Refusals are HTTP 403/401 before
 * the upgrade, with a JSON error, a metric and a log event, and never a session.
 */
class OriginAndTokenTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final byte[] JPEG = TestJpegs.solid(32, 24, Color.GREEN);
  static final String STREAM = "/ws/video/stream?pipeline_id=echo";
  static TestServer open;
  static TestServer locked;

  @BeforeAll
  static void start() {
    open = TestServer.start();
    locked = TestServer.start(Map.of(
        "framewire.stream.allowed-origins", "https://app.example.com, http://localhost:3000/",
        "framewire.stream.auth-token", "s3cret-token"));
  }

  @AfterAll
  static void stop() {
    open.close();
    locked.close();
  }

  /** Connects, and if upgraded, proves the session works by getting frame 0 answered. */
  private static RawWsClient.Handshake attempt(TestServer server, String pathAndQuery, Map<String, String> headers)
      throws Exception {
    try (RawWsClient client = RawWsClient.connect(server.port(), pathAndQuery, headers)) {
      if (client.handshake.status() == 101) {
        client.sendBinary(JPEG);
        JsonNode answer = JSON.readTree(client.readText());
        assertEquals(0, answer.get("frame_index").asInt(), answer.toString());
      }
      return client.handshake;
    } finally {
      TestServer.await("no session left", () -> server.activeSessions() == 0);
    }
  }

  private static JsonNode refused(RawWsClient.Handshake handshake, int status, String error) throws Exception {
    assertEquals(status, handshake.status(), handshake.toString());
    assertTrue(handshake.headers().get("content-type").startsWith("application/json"), handshake.toString());
    JsonNode body = JSON.readTree(handshake.body());
    assertEquals(error, body.get("error").asText(), body.toString());
    assertTrue(!body.get("detail").asText().isBlank());
    return body;
  }

  @Test
  void clientsWithoutOriginAndTheServersOwnOriginAreAccepted() throws Exception {
    assertEquals(101, attempt(open, STREAM, Map.of()).status());
    assertEquals(101, attempt(open, STREAM, Map.of("Origin", "http://127.0.0.1:" + open.port())).status());
  }

  @Test
  void otherOriginsAreForbiddenBeforeTheUpgrade() throws Exception {
    double before = open.server.metrics().errors.labels("forbidden_origin").get();
    LoggingTestKit.warn("connection refused forbidden_origin")
        .withMdc(Map.of("event_type", "stream_error", "error", "forbidden_origin", "pipeline_id", "echo"))
        .expect(open.server.system(), () -> {
          try {
            JsonNode body = refused(attempt(open, STREAM, Map.of("Origin", "https://evil.example")), 403,
                "forbidden_origin");
            assertTrue(body.get("detail").asText().contains("https://evil.example"), body.toString());
            return null;
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        });
    // same host, another port, and sandboxed pages ("null") are other origins too
    refused(attempt(open, STREAM, Map.of("Origin", "http://127.0.0.1:" + (open.port() + 1))), 403, "forbidden_origin");
    refused(attempt(open, STREAM, Map.of("Origin", "null")), 403, "forbidden_origin");
    assertEquals(before + 3, open.server.metrics().errors.labels("forbidden_origin").get());
    assertEquals(0, open.server.metrics().sessionsActive.get());
  }

  @Test
  void aConfiguredListReplacesTheDefault() throws Exception {
    String token = "&token=s3cret-token";
    assertEquals(101, attempt(locked, STREAM + token, Map.of("Origin", "https://app.example.com")).status());
    assertEquals(101, attempt(locked, STREAM + token, Map.of("Origin", "http://localhost:3000")).status());
    refused(attempt(locked, STREAM + token, Map.of("Origin", "http://127.0.0.1:" + locked.port())), 403,
        "forbidden_origin");
  }

  @Test
  void aMissingOrWrongTokenIsUnauthorized() throws Exception {
    double before = locked.server.metrics().errors.labels("unauthorized").get();
    RawWsClient.Handshake none = attempt(locked, STREAM, Map.of());
    refused(none, 401, "unauthorized");
    assertTrue(none.headers().get("www-authenticate").startsWith("Bearer"), none.toString());
    refused(attempt(locked, STREAM + "&token=s3cret-tokeN", Map.of()), 401, "unauthorized");
    refused(attempt(locked, STREAM, Map.of("Authorization", "Bearer s3cret")), 401, "unauthorized");
    refused(attempt(locked, STREAM, Map.of("Authorization", "Basic czNjcmV0LXRva2Vu")), 401, "unauthorized");
    assertEquals(before + 4, locked.server.metrics().errors.labels("unauthorized").get());
  }

  @Test
  void theTokenWorksAsQueryParameterOrBearerHeader() throws Exception {
    assertEquals(101, attempt(locked, STREAM + "&token=s3cret-token", Map.of()).status());
    assertEquals(101, attempt(locked, STREAM, Map.of("Authorization", "Bearer s3cret-token")).status());
  }

  @Test
  void theRefusalComesBeforeAnyPipelineCheck() throws Exception {
    // an attacker learns nothing about pipelines, and no session is asked for
    refused(attempt(locked, "/ws/video/stream?pipeline_id=nope", Map.of()), 401, "unauthorized");
    refused(attempt(open, "/ws/video/stream", Map.of("Origin", "https://evil.example")), 403, "forbidden_origin");
  }
}
