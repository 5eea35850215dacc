package io.framewire.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.events.StoredEvent;
import io.framewire.metrics.SinkMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The MQTT sink against a real broker (Debian's mosquitto, started here on a free port), read back
 * by a subscriber as Home Assistant would: every event arrives as stored, in order; a broker that
 * goes away mid-stream loses nothing; a new runner resumes from the committed position.
 */
class MqttSinkTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final SinkSettings FAST = new SinkSettings(
      Duration.ofMillis(20), 4, Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(2));

  @TempDir Path dir;
  private final ObjectMapper mapper = new ObjectMapper();
  private final ListEventLog log = new ListEventLog();
  private Mosquitto broker;
  private DataSource db;

  @BeforeEach
  void start() throws Exception {
    broker = new Mosquitto(Files.createDirectories(dir.resolve("broker"))).start();
    db = SinkTestDb.migrated(dir.resolve("db"));
  }

  @AfterEach
  void stop() throws Exception {
    broker.close();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private SinkDefinition sink(String id, int qos) {
    return SinkJson.parse(mapper.valueToTree(Map.of("id", id, "type", "mqtt", "url", broker.url(),
        "topic", "framewire/{stream}/{type}", "qos", qos, "start", "earliest")));
  }

  private Sinks sinks(SinkMetrics metrics) {
    return Sinks.start(testKit.system(), log, db, FAST, metrics);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void everyEventArrivesAsStoredInOrderWithItsTopicAndQos(int qos) throws Exception {
    {
      try (MqttCollector ha = new MqttCollector(broker.url(), "framewire/#", 2)) {
        SinkMetrics metrics = SinkMetrics.unregistered();
        List<StoredEvent> stored = log.appendCrossings(10);
        try (Sinks sinks = sinks(metrics)) {
          sinks.create(sink("ha" + qos, qos)).toCompletableFuture().get();
          List<MqttCollector.Received> got = ha.awaitDistinct(stored.size(), WAIT);
          // A healthy broker: each event once, in id order, exactly as stored.
          assertEquals(stored.stream().map(StoredEvent::id).toList(), got.stream().map(MqttCollector.Received::id).toList());
          for (int i = 0; i < stored.size(); i++) {
            StoredEvent event = stored.get(i);
            assertEquals("framewire/" + event.stream() + "/line_crossed", got.get(i).topic());
            assertEquals(qos, got.get(i).qos());
            assertEquals(mapper.readValue(mapper.writeValueAsBytes(EventJson.toMap(event)), Map.class), got.get(i).json());
          }
          Awaits.until("the position committed", WAIT,
              () -> new SinkRepository(db, mapper).position("ha" + qos).orElse(-1) == stored.get(9).id(),
              () -> sinks.get("ha" + qos));
          assertEquals(10.0, metrics.deliveries.labels("ha" + qos, "delivered").get());
          sinks.delete("ha" + qos).toCompletableFuture().get();
        }
      }
    }
  }

  @Test
  void aBatchSentWithMoreInFlightThanTheBrokerReceivesArrivesOnceInOrder() throws Exception {
    // mosquitto announces Receive Maximum 2 in its CONNACK; the sink's window (10) must shrink to it,
    // or Paho refuses the third publish and the sink would retry forever.
    try (Mosquitto narrow = new Mosquitto(Files.createDirectories(dir.resolve("narrow")),
            List.of("max_inflight_messages 2")).start();
        MqttCollector ha = new MqttCollector(narrow.url(), "framewire/#", 1)) {
      SinkSettings batches = new SinkSettings(
          Duration.ofMillis(20), 25, Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(2), 10);
      List<StoredEvent> stored = log.appendCrossings(60);
      SinkMetrics metrics = SinkMetrics.unregistered();
      try (Sinks sinks = Sinks.start(testKit.system(), log, db, batches, metrics)) {
        sinks.create(SinkJson.parse(mapper.valueToTree(Map.of("id", "narrow", "type", "mqtt", "url", narrow.url(),
            "topic", "framewire/{stream}/{type}", "qos", 1, "start", "earliest")))).toCompletableFuture().get();
        List<MqttCollector.Received> got = ha.awaitDistinct(stored.size(), WAIT);
        assertEquals(stored.stream().map(StoredEvent::id).toList(), got.stream().map(MqttCollector.Received::id).toList(),
            () -> "sink: " + sinks.get("narrow"));
        Awaits.until("the position committed", WAIT,
            () -> new SinkRepository(db, mapper).position("narrow").orElse(-1) == stored.get(59).id(),
            () -> sinks.get("narrow"));
        assertEquals(60.0, metrics.deliveries.labels("narrow", "delivered").get());
        assertEquals(0.0, metrics.deliveries.labels("narrow", "failed").get());
      }
    }
  }

  @Test
  void aBrokerDownMidStreamLosesNothingAndKeepsTheOrder() throws Exception {
    try (MqttCollector ha = new MqttCollector(broker.url(), "framewire/#", 1);
        Sinks sinks = sinks(SinkMetrics.unregistered())) {
      List<StoredEvent> stored = new java.util.ArrayList<>(log.appendCrossings(5));
      sinks.create(sink("ha", 1)).toCompletableFuture().get();
      ha.awaitDistinct(5, WAIT);

      broker.stop();
      stored.addAll(log.appendCrossings(20));
      // Down through several retries, so the backoff runs, not just one reconnect.
      Awaits.until("three failed attempts in a row", WAIT,
          () -> "retrying".equals(sinks.get("ha").orElseThrow().get("state"))
              && ((Number) sinks.get("ha").orElseThrow().get("failures")).intValue() >= 3,
          () -> sinks.get("ha"));
      assertTrue(((Number) sinks.get("ha").orElseThrow().get("lag")).longValue() > 0);
      broker.start();
      Awaits.until("the sink caught up", WAIT,
          () -> ((Number) sinks.get("ha").orElseThrow().get("position")).longValue() == stored.size(),
          () -> sinks.get("ha"));

      List<MqttCollector.Received> got = ha.awaitDistinct(stored.size(), WAIT);
      assertEquals(stored.stream().map(StoredEvent::id).toList(), MqttCollector.firstArrivals(got));
      Awaits.until("the sink caught up", WAIT,
          () -> ((Number) sinks.get("ha").orElseThrow().get("lag")).longValue() == 0
              && ((Number) sinks.get("ha").orElseThrow().get("position")).longValue() == stored.size(),
          () -> sinks.get("ha"));
    }
  }

  @Test
  void aNewRunnerResumesFromTheCommittedPosition() throws Exception {
    try (MqttCollector ha = new MqttCollector(broker.url(), "framewire/#", 1)) {
      List<StoredEvent> first = log.appendCrossings(6);
      try (Sinks sinks = sinks(SinkMetrics.unregistered())) {
        sinks.create(sink("ha", 1)).toCompletableFuture().get();
        ha.awaitDistinct(6, WAIT);
        Awaits.until("the position committed", WAIT,
            () -> new SinkRepository(db, mapper).position("ha").orElse(-1) == first.get(5).id(), () -> sinks.get("ha"));
      }
      List<StoredEvent> second = log.appendCrossings(4);
      // A new registry over the same table, as after a restart: the sink is loaded and goes on.
      try (Sinks sinks = sinks(SinkMetrics.unregistered())) {
        List<MqttCollector.Received> got = ha.awaitDistinct(10, WAIT);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), MqttCollector.firstArrivals(got));
        // The position was committed before the stop, so nothing is sent twice here.
        assertEquals(10, got.size());
        assertEquals(10L, second.get(3).id());
      }
    }
  }
}
