package io.framewire.sinks;

import io.framewire.events.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/**
 * An MQTT v5 broker through Eclipse Paho: one connection per sink, clean start, in-memory
 * persistence (the event store is the outbox; Paho keeps nothing across restarts), a batch's
 * messages published with a bounded window awaiting their PUBACK (QoS 1) or PUBCOMP (QoS 2), in
 * order. On any failure the connection is dropped, so the next send reconnects.
 */
final class MqttTarget implements SinkTarget {

  private final TargetSpec.Mqtt spec;
  private final long timeoutMs;
  private MqttAsyncClient client; // guarded by this
  private int receiveMaximum = 1; // guarded by this; the connected broker's

  MqttTarget(TargetSpec.Mqtt spec, Duration timeout) {
    this.spec = spec;
    this.timeoutMs = timeout.toMillis();
  }

  @Override
  public synchronized void send(StoredEvent event, byte[] json) throws Exception {
    sendAll(List.of(event), List.of(json), 1, index -> { });
  }

  /**
   * Publishes the batch on one connection with up to {@code maxInFlight} (and at most the broker's
   * Receive Maximum) unacknowledged: the broker forwards one connection's QoS 1/2 messages in the
   * order they were sent, and the acknowledgements come back in that order.
   */
  @Override
  public synchronized void sendAll(List<StoredEvent> events, List<byte[]> json, int maxInFlight, IntConsumer acknowledged)
      throws Exception {
    try {
      if (client == null || !client.isConnected()) {
        connect();
      }
      int window = Math.max(1, Math.min(maxInFlight, receiveMaximum));
      ArrayDeque<IMqttToken> inFlight = new ArrayDeque<>(window);
      int sent = 0;
      for (int done = 0; done < events.size(); done++) {
        long refusedSince = 0;
        while (sent < events.size() && sent - done < window) {
          MqttMessage message = new MqttMessage(json.get(sent), spec.qos(), false, null);
          try {
            inFlight.add(client.publish(topic(spec.topic(), events.get(sent)), message));
            sent++;
          } catch (MqttException e) {
            if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
              throw e;
            }
            // Paho counts a message in flight a little after its token completed: wait for room.
            if (sent > done) {
              break; // an acknowledgement of ours frees it
            }
            long now = System.nanoTime();
            refusedSince = refusedSince == 0 ? now : refusedSince;
            if (now - refusedSince > timeoutMs * 1_000_000L) {
              throw e;
            }
            LockSupport.parkNanos(1_000_000);
          }
        }
        awaitAcknowledged(inFlight.poll());
        acknowledged.accept(done);
      }
    } catch (Exception e) {
      drop();
      throw e;
    }
  }

  private void awaitAcknowledged(IMqttToken token) throws Exception {
    token.waitForCompletion(timeoutMs);
    if (token.getException() != null) {
      throw token.getException();
    }
    if (!token.isComplete()) {
      throw new java.util.concurrent.TimeoutException("no acknowledgement from the broker within " + timeoutMs + " ms");
    }
    int[] reasons = token.getReasonCodes();
    if (reasons != null) {
      for (int reason : reasons) {
        if (reason >= 0x80) { // an MQTT v5 PUBACK/PUBREC refusal (not authorized, quota, …)
          throw new MqttException(reason);
        }
      }
    }
  }

  private void connect() throws MqttException {
    drop();
    String url = spec.url().getScheme().startsWith("mqtts") || spec.url().getScheme().equals("ssl")
        ? "ssl://" + spec.url().getAuthority() : "tcp://" + spec.url().getAuthority();
    MqttAsyncClient fresh = new MqttAsyncClient(url, spec.clientId(), new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setAutomaticReconnect(false); // the sink reconnects, with its backoff
    options.setConnectionTimeout((int) Math.max(1, (timeoutMs + 999) / 1000));
    options.setKeepAliveInterval(30);
    spec.username().ifPresent(options::setUserName);
    spec.password().ifPresent(p -> options.setPassword(p.getBytes(StandardCharsets.UTF_8)));
    client = fresh;
    IMqttToken connected = fresh.connect(options);
    connected.waitForCompletion(timeoutMs);
    // Paho refuses a publish beyond the broker's Receive Maximum instead of waiting for room.
    Integer brokerMaximum = connected.getResponseProperties() == null
        ? null : connected.getResponseProperties().getReceiveMaximum();
    receiveMaximum = brokerMaximum == null ? 65_535 : brokerMaximum;
  }

  /** Forgets the connection, whatever state it is in. */
  private void drop() {
    MqttAsyncClient old = client;
    client = null;
    if (old != null) {
      try {
        old.disconnectForcibly(0, 1000, false);
      } catch (MqttException | RuntimeException ignored) {
        // already gone
      }
      try {
        old.close(true);
      } catch (MqttException | RuntimeException ignored) {
        // already closed
      }
    }
  }

  @Override
  public synchronized void close() {
    if (client != null && client.isConnected()) {
      try {
        client.disconnect(1000).waitForCompletion(1000);
      } catch (MqttException | RuntimeException ignored) {
        // closed below anyway
      }
    }
    drop();
  }

  /**
   * The topic for {@code event}: {@code {stream}}, {@code {type}}, {@code {pipeline_id}},
   * {@code {node}} and {@code {label}} replaced; MQTT's wildcards in a value become {@code _}.
   */
  static String topic(String template, StoredEvent event) {
    Object label = event.fields() == null ? null : event.fields().get("label");
    Map<String, String> values = Map.of(
        "{stream}", event.stream(),
        "{type}", event.type(),
        "{pipeline_id}", event.pipelineId(),
        "{node}", event.node() == null ? "" : event.node(),
        "{label}", label == null ? "" : label.toString());
    String topic = template;
    for (Map.Entry<String, String> value : values.entrySet()) {
      topic = topic.replace(value.getKey(), value.getValue().replace('+', '_').replace('#', '_').replace('\0', '_'));
    }
    return topic;
  }
}
