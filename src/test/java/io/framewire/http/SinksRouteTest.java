package io.framewire.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.events.EventLog;
import io.framewire.events.StoredEvent;
import io.framewire.metrics.SinkMetrics;
import io.framewire.sinks.SinkSettings;
import io.framewire.settings.FramewireSettings;
import io.framewire.sinks.Sinks;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteDataSource;

/** {@code /sinks} through the route in memory: validation, masking, conflicts, the admin rule. */
class SinksRouteTest extends JupiterRouteTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final String MQTT = """
      {"id": "ha", "type": "mqtt", "url": "tcp://127.0.0.1:9", "username": "frigate", "password": "pw",
       "filter": {"type": ["line_crossed"]}}""";

  /** A store with 42 events, none of which the routes read. */
  private static final EventLog LOG = new EventLog() {
    @Override
    public List<StoredEvent> readAfter(long afterId, int limit) {
      return List.of();
    }

    @Override
    public long latestId() {
      return 42;
    }
  };

  private final Sinks sinks;

  SinksRouteTest() throws Exception {
    super(testKit.system());
    Path db = Files.createTempDirectory("sinks-route").resolve("events.db");
    SQLiteDataSource dataSource = new SQLiteDataSource();
    dataSource.setUrl("jdbc:sqlite:" + db);
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sqlite").load().migrate();
    sinks = Sinks.start(testKit.system(), LOG, dataSource, SinkSettings.defaults(), SinkMetrics.unregistered());
  }

  @AfterAll
  void stop() {
    sinks.close();
    testKit.shutdownTestKit();
  }

  private Http http(String token) {
    return http(token, Map.of());
  }

  private Http http(String adminToken, Map<String, Object> streamSettings) {
    StreamGuard reads = new StreamGuard(FramewireSettings.from(
        ConfigFactory.parseMap(streamSettings).withFallback(ConfigFactory.load())).stream());
    return new Http(testRoute(new SinksRoute(sinks, new AdminAccess(adminToken), reads, new ObjectMapper()).route()));
  }

  @Test
  void readingTheSinksFollowsTheStreamRule() {
    Http http = http("", Map.of("framewire.stream.auth-token", "viewer"));
    Http.Reply refused = http.get("/sinks");
    assertEquals(401, refused.status(), refused.raw());
    assertEquals("unauthorized", refused.body().get("error").asText());
    assertEquals(401, http.get("/sinks/ha").status());
    assertEquals(200, http.get("/sinks?token=viewer").status());
  }

  @Test
  void createListGetDeleteWithCredentialsMasked() {
    Http http = http("");
    Http.Reply created = http.post("/sinks", MQTT);
    assertEquals(201, created.status(), created.raw());
    assertEquals("/sinks/ha", created.header("Location").orElseThrow());
    assertEquals("***", created.body().get("password").asText());
    assertFalse(created.raw().contains("\"pw\""), created.raw());
    assertEquals("frigate", created.body().get("username").asText());
    assertEquals(42, created.body().get("position").asLong(), "a new sink starts after the newest event");
    assertEquals(0, created.body().get("lag").asLong());

    Http.Reply conflict = http.post("/sinks", MQTT);
    assertEquals(409, conflict.status());
    assertEquals("sink_exists", conflict.body().get("error").asText());

    JsonNode one = http.get("/sinks/ha").body();
    for (String field : List.of("id", "type", "url", "topic", "qos", "client_id", "filter", "state", "position",
        "latest_id", "lag", "delivered", "failures", "last_error", "last_error_at")) {
      assertTrue(one.has(field), field + " in " + one);
    }
    assertEquals("***", one.get("password").asText());
    assertEquals("line_crossed", one.get("filter").get("type").get(0).asText());
    assertEquals(List.of("ha"), http.get("/sinks").body().get("sinks").findValuesAsText("id"));

    assertEquals(204, http.delete("/sinks/ha").status());
    assertEquals(404, http.get("/sinks/ha").status());
    assertEquals(404, http.delete("/sinks/ha").status());
    assertEquals("not_found", http.delete("/sinks/ha").body().get("error").asText());
  }

  @Test
  void badDefinitionsAreClear400s() {
    Http http = http("");
    Http.Reply notJson = http.post("/sinks", "{nope");
    assertEquals(400, notJson.status());
    assertEquals("invalid_sink", notJson.body().get("error").asText());
    Http.Reply badQos = http.post("/sinks", "{\"id\": \"x\", \"type\": \"mqtt\", \"url\": \"tcp://h:1883\", \"qos\": 3}");
    assertEquals(400, badQos.status());
    assertEquals("'qos' must be 1 (acknowledged: PUBACK) or 2 (exactly once to the broker: PUBCOMP), got 3",
        badQos.body().get("detail").asText());
    assertEquals(404, http.get("/sinks/x").status());
  }

  @Test
  void changesFollowTheAdminRule() {
    Http anonymous = http("s3cret");
    assertEquals(401, anonymous.post("/sinks", MQTT.replace("\"ha\"", "\"guarded\"")).status());
    assertEquals(404, anonymous.get("/sinks/guarded").status());
    Http admin = anonymous.withToken("s3cret");
    assertEquals(201, admin.post("/sinks", MQTT.replace("\"ha\"", "\"guarded\"")).status());
    assertEquals(401, anonymous.delete("/sinks/guarded").status());
    assertEquals(200, anonymous.get("/sinks/guarded").status());
    assertEquals(204, admin.delete("/sinks/guarded").status());
  }
}
