package io.framewire.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A subscriber, as Home Assistant or Node-RED would be: a persistent session (messages published
 * while it is away wait for it on the broker), automatic reconnect, every message kept in arrival
 * order.
 */
final class MqttCollector implements AutoCloseable {

  /** One message as it arrived. */
  record Received(String topic, int qos, Map<String, Object> json) {
    long id() {
      return ((Number) json.get("id")).longValue();
    }
  }

  private final MqttAsyncClient client;
  private final List<Received> received = new ArrayList<>();
  private final ObjectMapper mapper = new ObjectMapper();

  MqttCollector(String url, String filter, int qos) throws MqttException {
    client = new MqttAsyncClient(url, "collector-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(false);
    options.setSessionExpiryInterval(3600L);
    options.setAutomaticReconnect(true);
    options.setAutomaticReconnectDelay(1, 1);
    client.setCallback(new MqttCallback() {
      @Override
      public void messageArrived(String topic, MqttMessage message) throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, Object> json = mapper.readValue(message.getPayload(), Map.class);
        synchronized (received) {
          received.add(new Received(topic, message.getQos(), json));
          received.notifyAll();
        }
      }

      @Override
      public void disconnected(MqttDisconnectResponse response) {}

      @Override
      public void mqttErrorOccurred(MqttException exception) {}

      @Override
      public void deliveryComplete(IMqttToken token) {}

      @Override
      public void connectComplete(boolean reconnect, String serverURI) {}

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    });
    client.connect(options).waitForCompletion(10_000);
    client.subscribe(filter, qos).waitForCompletion(10_000);
  }

  /** Waits until messages with {@code count} distinct ids arrived; returns every message so far. */
  List<Received> awaitDistinct(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (received.stream().map(Received::id).distinct().count() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out waiting for " + count + " distinct events; got ids "
              + received.stream().map(Received::id).toList());
        }
        received.wait(Math.max(1, left / 1_000_000));
      }
      return List.copyOf(received);
    }
  }

  /** The ids in order of first arrival: what a consumer that deduplicates on {@code id} sees. */
  static List<Long> firstArrivals(List<Received> messages) {
    return new ArrayList<>(new LinkedHashSet<>(messages.stream().map(Received::id).toList()));
  }

  @Override
  public void close() throws MqttException {
    try {
      client.disconnect(1000).waitForCompletion(2000);
    } catch (MqttException ignored) {
      // the broker may be gone already
    }
    client.close(true);
  }
}
