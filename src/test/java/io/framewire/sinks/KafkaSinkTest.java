package io.framewire.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.events.StoredEvent;
import io.framewire.metrics.SinkMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka sink against a real broker (KRaft, one node, its own JVM): every event arrives as
 * stored, keyed by its stream, each stream in order within its partition; a broker that goes away
 * mid-stream loses nothing.
 */
class KafkaSinkTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final SinkSettings SETTINGS = new SinkSettings(
      Duration.ofMillis(20), 10, Duration.ofMillis(100), Duration.ofMillis(1000), Duration.ofSeconds(3));

  @TempDir static Path dir;
  private static KafkaBroker broker;
  private final ObjectMapper mapper = new ObjectMapper();

  @BeforeAll
  static void startBroker() throws Exception {
    broker = new KafkaBroker(Files.createDirectories(dir.resolve("kafka"))).start();
  }

  @AfterAll
  static void stop() throws Exception {
    broker.close();
    testKit.shutdownTestKit();
  }

  private void createTopic(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
    }
  }

  private SinkDefinition sink(String id, String topic) {
    return SinkJson.parse(mapper.valueToTree(Map.of("id", id, "type", "kafka",
        "bootstrap_servers", broker.bootstrapServers(), "topic", topic, "start", "earliest")));
  }

  /** Reads the topic from the start until {@code count} distinct ids arrived. */
  private List<ConsumerRecord<String, String>> consume(String topic, int count) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", broker.bootstrapServers());
    p.put("group.id", "test-" + topic);
    p.put("auto.offset.reset", "earliest");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (records.stream().map(r -> id(r)).distinct().count() < count) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("timed out; got ids " + records.stream().map(r -> id(r)).toList());
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }

  private long id(ConsumerRecord<String, String> record) {
    try {
      return mapper.readTree(record.value()).get("id").asLong();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Per stream (key): the ids in order of first arrival, as a consumer that deduplicates sees them. */
  private Map<String, List<Long>> byStream(List<ConsumerRecord<String, String>> records) {
    Map<String, LinkedHashSet<Long>> streams = new java.util.TreeMap<>();
    records.forEach(r -> streams.computeIfAbsent(r.key(), k -> new LinkedHashSet<>()).add(id(r)));
    Map<String, List<Long>> lists = new java.util.TreeMap<>();
    streams.forEach((k, v) -> lists.put(k, List.copyOf(v)));
    return lists;
  }

  private static Map<String, List<Long>> byStreamStored(List<StoredEvent> stored) {
    Map<String, List<Long>> streams = new java.util.TreeMap<>();
    stored.forEach(e -> streams.computeIfAbsent(e.stream(), k -> new ArrayList<>()).add(e.id()));
    return streams;
  }

  @Test
  void everyEventArrivesAsStoredKeyedByStreamAndInOrder() throws Exception {
    createTopic("events-a");
    ListEventLog log = new ListEventLog();
    List<StoredEvent> stored = log.appendCrossings(12);
    DataSource db = SinkTestDb.migrated(dir.resolve("db-a"));
    try (Sinks sinks = Sinks.start(testKit.system(), log, db, SETTINGS, SinkMetrics.unregistered())) {
      sinks.create(sink("lake", "events-a")).toCompletableFuture().get();
      List<ConsumerRecord<String, String>> records = consume("events-a", 12);
      assertEquals(12, records.size(), "a healthy broker: each event once");
      for (ConsumerRecord<String, String> record : records) {
        StoredEvent event = stored.get((int) id(record) - 1);
        assertEquals(event.stream(), record.key());
        assertEquals(mapper.readTree(mapper.writeValueAsBytes(EventJson.toMap(event))), mapper.readTree(record.value()));
      }
      assertEquals(byStreamStored(stored), byStream(records));
    }
  }

  @Test
  void aBrokerDownMidStreamLosesNothingAndKeepsEachStreamInOrder() throws Exception {
    createTopic("events-b");
    ListEventLog log = new ListEventLog();
    List<StoredEvent> stored = new ArrayList<>(log.appendCrossings(6));
    DataSource db = SinkTestDb.migrated(dir.resolve("db-b"));
    try (Sinks sinks = Sinks.start(testKit.system(), log, db, SETTINGS, SinkMetrics.unregistered())) {
      sinks.create(sink("lake", "events-b")).toCompletableFuture().get();
      Awaits.until("the first events delivered", WAIT,
          () -> ((Number) sinks.get("lake").orElseThrow().get("position")).longValue() == 6, () -> sinks.get("lake"));

      broker.stop();
      stored.addAll(log.appendCrossings(14));
      Awaits.until("two failed attempts in a row", WAIT,
          () -> ((Number) sinks.get("lake").orElseThrow().get("failures")).intValue() >= 2, () -> sinks.get("lake"));
      broker.start();

      Awaits.until("the sink caught up", WAIT,
          () -> ((Number) sinks.get("lake").orElseThrow().get("position")).longValue() == stored.size(),
          () -> sinks.get("lake"));
      assertEquals(byStreamStored(stored), byStream(consume("events-b", stored.size())));
    }
  }
}
