package io.framewire.sinks;

import io.framewire.events.StoredEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A Kafka topic through the kafka-clients producer: {@code acks=all}, idempotent, one request in
 * flight; the record's key is the event's stream, so one stream's events land in one partition, in
 * order. A batch's records are acknowledged in order before the sink moves on. On a failure the
 * producer is closed, so the next send starts afresh.
 */
final class KafkaTarget implements SinkTarget {

  private final TargetSpec.Kafka spec;
  private final String clientId;
  private final Duration timeout;
  private KafkaProducer<String, byte[]> producer; // guarded by this

  KafkaTarget(String sinkId, TargetSpec.Kafka spec, Duration timeout) {
    this.spec = spec;
    this.clientId = "framewire-" + sinkId;
    this.timeout = timeout;
  }

  @Override
  public synchronized void send(StoredEvent event, byte[] json) throws Exception {
    sendAll(List.of(event), List.of(json), 1, index -> { });
  }

  /**
   * Hands up to {@code maxInFlight} records to the producer before waiting for the first one's
   * acknowledgement, so they travel together in a request; with one request in flight and
   * idempotence the broker appends them in order, and a failed one fails those after it.
   */
  @Override
  public synchronized void sendAll(List<StoredEvent> events, List<byte[]> json, int maxInFlight, IntConsumer acknowledged)
      throws Exception {
    try {
      if (producer == null) {
        producer = new KafkaProducer<>(properties(), new StringSerializer(), new ByteArraySerializer());
      }
      int window = Math.max(1, maxInFlight);
      ArrayDeque<Future<RecordMetadata>> inFlight = new ArrayDeque<>(window);
      int sent = 0;
      for (int done = 0; done < events.size(); done++) {
        while (sent < events.size() && sent - done < window) {
          inFlight.add(producer.send(new ProducerRecord<>(spec.topic(), events.get(sent).stream(), json.get(sent))));
          sent++;
        }
        inFlight.poll().get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
        acknowledged.accept(done);
      }
    } catch (Exception e) {
      drop();
      throw e;
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    p.putAll(spec.properties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, spec.bootstrapServers());
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    // What the sink's guarantee rests on: not the operator's to weaken through 'properties'.
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Integer.toString(millis));
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Integer.toString(millis));
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(millis));
    return p;
  }

  private void drop() {
    KafkaProducer<String, byte[]> old = producer;
    producer = null;
    if (old != null) {
      old.close(Duration.ZERO);
    }
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(1));
      producer = null;
    }
  }
}
