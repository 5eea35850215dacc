package io.framewire.sinks;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Where a sink delivers, one record per type; the records hold credentials in clear (masked only in answers). */
public sealed interface TargetSpec {

  /** The {@code type} of the JSON form. */
  String type();

  /**
   * An MQTT broker (Eclipse Paho's v5 client).
   *
   * @param url {@code tcp://host:1883} or {@code ssl://host:8883}
   * @param topic template with {@code {stream}}, {@code {type}}, {@code {pipeline_id}}, {@code {node}}, {@code {label}}
   * @param qos 1 (PUBACK) or 2 (PUBCOMP): the acknowledgement a sink advances on
   * @param clientId the MQTT client id; one connection per sink
   */
  record Mqtt(URI url, String topic, int qos, String clientId, Optional<String> username, Optional<String> password)
      implements TargetSpec {
    @Override
    public String type() {
      return "mqtt";
    }
  }

  /**
   * An HTTP endpoint that takes one POST per event; a 2xx answer acknowledges it.
   *
   * @param secret the key of the {@code X-Framewire-Signature: sha256=<hex HMAC-SHA256 of the body>} header; none: no header
   * @param timeout an answer not complete within it fails (and is retried)
   */
  record Webhook(URI url, Optional<String> secret, Duration timeout) implements TargetSpec {
    @Override
    public String type() {
      return "webhook";
    }
  }

  /**
   * A Kafka topic (the kafka-clients producer, {@code acks=all}); the key is the event's stream, so
   * one stream's events stay ordered in one partition.
   *
   * @param properties further producer properties ({@code security.protocol}, {@code sasl.*}, …)
   */
  record Kafka(String bootstrapServers, String topic, Map<String, String> properties) implements TargetSpec {
    public Kafka {
      properties = Map.copyOf(properties);
    }

    @Override
    public String type() {
      return "kafka";
    }
  }
}
