package io.framewire.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.events.StoredEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkJsonTest {

  private final ObjectMapper mapper = new ObjectMapper();

  private SinkDefinition parse(String json) throws Exception {
    return SinkJson.parse(mapper.readTree(json));
  }

  private String refusal(String json) {
    return assertThrows(InvalidSinkException.class, () -> parse(json)).getMessage();
  }

  @Test
  void anMqttSinkTakesItsDefaults() throws Exception {
    SinkDefinition sink = parse("{\"id\": \"ha\", \"type\": \"mqtt\", \"url\": \"tcp://broker:1883\"}");
    assertEquals(new SinkDefinition("ha", SinkFilter.ALL, false, new TargetSpec.Mqtt(java.net.URI.create("tcp://broker:1883"),
        "framewire/{stream}/{type}", 1, "framewire-ha", java.util.Optional.empty(), java.util.Optional.empty())), sink);
  }

  @Test
  void credentialsAreMaskedInAnswersAndKeptForTheStore() throws Exception {
    SinkDefinition sink = parse("{\"id\": \"ha\", \"type\": \"mqtt\", \"url\": \"tcp://broker:1883\", \"qos\": 2,"
        + " \"username\": \"frigate\", \"password\": \"pw\", \"filter\": {\"type\": [\"line_crossed\"]}}");
    assertEquals("***", SinkJson.toJson(sink, true).get("password"));
    assertEquals("frigate", SinkJson.toJson(sink, true).get("username"));
    assertEquals(sink, SinkJson.parse(mapper.valueToTree(SinkJson.toJson(sink, false))));

    SinkDefinition hook = parse("{\"id\": \"h\", \"type\": \"webhook\", \"url\": \"https://x.example/in\", \"secret\": \"s\"}");
    assertEquals("***", SinkJson.toJson(hook, true).get("secret"));
    assertEquals(Duration.ofSeconds(10), ((TargetSpec.Webhook) hook.target()).timeout());
    assertEquals(hook, SinkJson.parse(mapper.valueToTree(SinkJson.toJson(hook, false))));

    SinkDefinition kafka = parse("{\"id\": \"k\", \"type\": \"kafka\", \"bootstrap_servers\": \"a:9092,b:9092\","
        + " \"topic\": \"events\", \"properties\": {\"sasl.jaas.config\": \"secret stuff\", \"security.protocol\": \"SASL_SSL\"}}");
    assertEquals(Map.of("sasl.jaas.config", "***", "security.protocol", "SASL_SSL"), SinkJson.toJson(kafka, true).get("properties"));
    assertEquals(kafka, SinkJson.parse(mapper.valueToTree(SinkJson.toJson(kafka, false))));
  }

  @Test
  void badDefinitionsAreRefusedNamingTheField() {
    assertEquals("'id' is required (a non-empty string)", refusal("{\"type\": \"mqtt\"}"));
    assertEquals("'type' must be mqtt, webhook or kafka, got 'amqp'", refusal("{\"id\": \"a\", \"type\": \"amqp\"}"));
    assertEquals("'url' must be a mqtt/mqtts/ssl/tcp URL, got 'http://x'", refusal("{\"id\": \"a\", \"type\": \"mqtt\", \"url\": \"http://x\"}"));
    assertEquals("'qos' must be 1 (acknowledged: PUBACK) or 2 (exactly once to the broker: PUBCOMP), got 0",
        refusal("{\"id\": \"a\", \"type\": \"mqtt\", \"url\": \"tcp://x:1883\", \"qos\": 0}"));
    assertEquals("'topic' must be a non-empty topic without wildcards ('+', '#'), got 'a/#'",
        refusal("{\"id\": \"a\", \"type\": \"mqtt\", \"url\": \"tcp://x:1883\", \"topic\": \"a/#\"}"));
    assertEquals("unknown field 'secret' for a mqtt sink (allowed: client_id, password, qos, topic, url, username, filter, start)",
        refusal("{\"id\": \"a\", \"type\": \"mqtt\", \"url\": \"tcp://x:1883\", \"secret\": \"s\"}"));
    assertEquals("'timeout_ms' must be an integer in [1, 600000], got 0",
        refusal("{\"id\": \"a\", \"type\": \"webhook\", \"url\": \"http://x/\", \"timeout_ms\": 0}"));
    assertEquals("'bootstrap_servers' must be host:port[,host:port…], got 'kafka'",
        refusal("{\"id\": \"a\", \"type\": \"kafka\", \"bootstrap_servers\": \"kafka\", \"topic\": \"t\"}"));
    assertEquals("unknown filter field 'labels' (allowed: type, label, stream)",
        refusal("{\"id\": \"a\", \"type\": \"webhook\", \"url\": \"http://x/\", \"filter\": {\"labels\": [\"person\"]}}"));
    assertEquals("'start' must be 'latest' (only events stored from now on) or 'earliest' (every stored event), got 'now'",
        refusal("{\"id\": \"a\", \"type\": \"webhook\", \"url\": \"http://x/\", \"start\": \"now\"}"));
    assertEquals("'properties.compression.type' must be none, gzip or lz4 (the zstd and snappy libraries are not bundled), got 'zstd'",
        refusal("{\"id\": \"a\", \"type\": \"kafka\", \"bootstrap_servers\": \"k:9092\", \"topic\": \"t\","
            + " \"properties\": {\"compression.type\": \"zstd\"}}"));
    assertTrue(refusal("{\"id\": \"a b\", \"type\": \"webhook\"}").startsWith("'id' must be 1 to 64 of letters"));
    assertTrue(refusal("[1]").startsWith("the body must be a JSON object"));
  }

  @Test
  void aFilterMatchesTypeLabelAndStreamPrefixes() {
    SinkFilter filter = new SinkFilter(List.of("zone_entered"), List.of("person"), List.of("source:*", "job:7"));
    assertTrue(filter.matches(event("zone_entered", "source:door", "person")));
    assertTrue(filter.matches(event("zone_entered", "job:7", "person")));
    assertFalse(filter.matches(event("zone_entered", "job:70", "person")));
    assertFalse(filter.matches(event("zone_exited", "source:door", "person")));
    assertFalse(filter.matches(event("zone_entered", "source:door", "car")));
    assertFalse(filter.matches(event("zone_entered", "source:door", null)));
    assertTrue(SinkFilter.ALL.matches(event("anything", "session:1", null)));
  }

  @Test
  void theTopicTemplateFillsInTheEventAndDefusesWildcards() {
    StoredEvent event = event("line_crossed", "source:gate+1", "person");
    assertEquals("fw/source:gate_1/line_crossed/person/count/lines",
        MqttTarget.topic("fw/{stream}/{type}/{label}/{pipeline_id}/{node}", event));
  }

  private static StoredEvent event(String type, String stream, String label) {
    return new StoredEvent(1, type, stream, "count", 1, "lines", 0, 0,
        label == null ? Map.of() : Map.of("label", label), null);
  }
}
