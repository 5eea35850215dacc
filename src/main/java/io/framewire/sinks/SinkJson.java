package io.framewire.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The JSON form of a sink definition, both ways: {@link #parse} checks every field (an unknown one
 * is refused, so a typo is not silently ignored) and {@link #toJson} writes it back, with the
 * credentials in clear for the store or masked for answers.
 */
public final class SinkJson {

  /** What a masked credential reads as. */
  public static final String MASK = "***";

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Set<String> COMMON = Set.of("id", "type", "filter", "start");
  private static final Map<String, Set<String>> FIELDS = Map.of(
      "mqtt", Set.of("url", "topic", "qos", "client_id", "username", "password"),
      "webhook", Set.of("url", "secret", "timeout_ms"),
      "kafka", Set.of("bootstrap_servers", "topic", "properties"));
  private static final String DEFAULT_TOPIC = "framewire/{stream}/{type}";
  private static final long DEFAULT_WEBHOOK_TIMEOUT_MS = 10_000;

  private SinkJson() {}

  /** @throws InvalidSinkException naming the field at fault */
  public static SinkDefinition parse(JsonNode json) {
    if (json == null || !json.isObject()) {
      throw new InvalidSinkException("the body must be a JSON object {\"id\": \"…\", \"type\": \"mqtt\"|\"webhook\"|\"kafka\", …}");
    }
    String id = required(json, "id");
    if (!ID.matcher(id).matches()) {
      throw new InvalidSinkException("'id' must be 1 to 64 of letters, digits, '_', '.', '-' (starting with a letter or digit), got '" + id + "'");
    }
    String type = required(json, "type");
    Set<String> allowed = FIELDS.get(type);
    if (allowed == null) {
      throw new InvalidSinkException("'type' must be mqtt, webhook or kafka, got '" + type + "'");
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!COMMON.contains(name) && !allowed.contains(name)) {
        throw new InvalidSinkException("unknown field '" + name + "' for a " + type + " sink (allowed: "
            + String.join(", ", new java.util.TreeSet<>(allowed)) + ", filter, start)");
      }
    }
    String start = optional(json, "start").orElse("latest");
    if (!start.equals("latest") && !start.equals("earliest")) {
      throw new InvalidSinkException("'start' must be 'latest' (only events stored from now on) or 'earliest' (every stored event), got '" + start + "'");
    }
    TargetSpec target = switch (type) {
      case "mqtt" -> mqtt(id, json);
      case "webhook" -> webhook(json);
      default -> kafka(json);
    };
    return new SinkDefinition(id, filter(json.get("filter")), start.equals("earliest"), target);
  }

  /** The definition as JSON: with {@code masked}, every credential reads {@value #MASK}. */
  public static Map<String, Object> toJson(SinkDefinition definition, boolean masked) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", definition.id());
    json.put("type", definition.target().type());
    TargetSpec target = definition.target();
    if (target instanceof TargetSpec.Mqtt m) {
      json.put("url", m.url().toString());
      json.put("topic", m.topic());
      json.put("qos", m.qos());
      json.put("client_id", m.clientId());
      m.username().ifPresent(u -> json.put("username", u));
      m.password().ifPresent(p -> json.put("password", masked ? MASK : p));
    } else if (target instanceof TargetSpec.Webhook w) {
      json.put("url", w.url().toString());
      w.secret().ifPresent(s -> json.put("secret", masked ? MASK : s));
      json.put("timeout_ms", w.timeout().toMillis());
    } else if (target instanceof TargetSpec.Kafka k) {
      json.put("bootstrap_servers", k.bootstrapServers());
      json.put("topic", k.topic());
      if (!k.properties().isEmpty()) {
        Map<String, String> properties = new TreeMap<>(k.properties());
        if (masked) {
          properties.replaceAll((key, value) -> secretProperty(key) ? MASK : value);
        }
        json.put("properties", properties);
      }
    }
    json.put("filter", definition.filter().toJson());
    json.put("start", definition.startAtEarliest() ? "earliest" : "latest");
    return json;
  }

  /** Kafka properties that hold credentials ({@code sasl.jaas.config}, {@code ssl.key.password}, …). */
  static boolean secretProperty(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password") || k.contains("jaas") || k.contains("secret") || k.contains("token");
  }

  private static TargetSpec.Mqtt mqtt(String id, JsonNode json) {
    URI url = uri(json, "url", Set.of("tcp", "ssl", "mqtt", "mqtts"));
    if (url.getHost() == null) {
      throw new InvalidSinkException("'url' must name a host: tcp://host:1883, got '" + url + "'");
    }
    String topic = optional(json, "topic").orElse(DEFAULT_TOPIC);
    if (topic.isBlank() || topic.contains("+") || topic.contains("#")) {
      throw new InvalidSinkException("'topic' must be a non-empty topic without wildcards ('+', '#'), got '" + topic + "'");
    }
    int qos = 1;
    JsonNode q = json.get("qos");
    if (q != null && !q.isNull()) {
      if (!q.isInt() || (q.asInt() != 1 && q.asInt() != 2)) {
        throw new InvalidSinkException("'qos' must be 1 (acknowledged: PUBACK) or 2 (exactly once to the broker: PUBCOMP), got " + q);
      }
      qos = q.asInt();
    }
    String clientId = optional(json, "client_id").orElse("framewire-" + id);
    Optional<String> username = optional(json, "username");
    Optional<String> password = optional(json, "password");
    if (password.isPresent() && username.isEmpty()) {
      throw new InvalidSinkException("'password' needs a 'username'");
    }
    return new TargetSpec.Mqtt(url, topic, qos, clientId, username, password);
  }

  private static TargetSpec.Webhook webhook(JsonNode json) {
    URI url = uri(json, "url", Set.of("http", "https"));
    if (url.getHost() == null) {
      throw new InvalidSinkException("'url' must name a host: https://host/path, got '" + url + "'");
    }
    long timeoutMs = DEFAULT_WEBHOOK_TIMEOUT_MS;
    JsonNode t = json.get("timeout_ms");
    if (t != null && !t.isNull()) {
      if (!t.canConvertToLong() || !t.isIntegralNumber() || t.asLong() < 1 || t.asLong() > 600_000) {
        throw new InvalidSinkException("'timeout_ms' must be an integer in [1, 600000], got " + t);
      }
      timeoutMs = t.asLong();
    }
    Optional<String> secret = optional(json, "secret");
    if (secret.isPresent() && secret.get().isEmpty()) {
      throw new InvalidSinkException("'secret' must not be empty (leave it out to send no signature)");
    }
    return new TargetSpec.Webhook(url, secret, Duration.ofMillis(timeoutMs));
  }

  private static TargetSpec.Kafka kafka(JsonNode json) {
    String servers = required(json, "bootstrap_servers");
    for (String server : servers.split(",")) {
      if (!server.trim().matches("[^:\\s]+:\\d{1,5}")) {
        throw new InvalidSinkException("'bootstrap_servers' must be host:port[,host:port…], got '" + servers + "'");
      }
    }
    String topic = required(json, "topic");
    if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
      throw new InvalidSinkException("'topic' must be 1 to 249 of letters, digits, '.', '_', '-', got '" + topic + "'");
    }
    Map<String, String> properties = new TreeMap<>();
    JsonNode p = json.get("properties");
    if (p != null && !p.isNull()) {
      if (!p.isObject()) {
        throw new InvalidSinkException("'properties' must be an object of producer properties (strings)");
      }
      p.fields().forEachRemaining(e -> {
        if (!e.getValue().isValueNode()) {
          throw new InvalidSinkException("'properties." + e.getKey() + "' must be a string, number or boolean");
        }
        properties.put(e.getKey(), e.getValue().asText());
      });
      String compression = properties.getOrDefault("compression.type", "none").trim().toLowerCase(Locale.ROOT);
      if (!Set.of("none", "gzip", "lz4").contains(compression)) {
        throw new InvalidSinkException("'properties.compression.type' must be none, gzip or lz4 (the zstd and snappy"
            + " libraries are not bundled), got '" + compression + "'");
      }
    }
    return new TargetSpec.Kafka(servers, topic, properties);
  }

  private static SinkFilter filter(JsonNode filter) {
    if (filter == null || filter.isNull()) {
      return SinkFilter.ALL;
    }
    if (!filter.isObject()) {
      throw new InvalidSinkException("'filter' must be an object {\"type\": [...], \"label\": [...], \"stream\": [...]}");
    }
    for (Iterator<String> names = filter.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!Set.of("type", "label", "stream").contains(name)) {
        throw new InvalidSinkException("unknown filter field '" + name + "' (allowed: type, label, stream)");
      }
    }
    return new SinkFilter(strings(filter, "type"), strings(filter, "label"), strings(filter, "stream"));
  }

  private static List<String> strings(JsonNode filter, String field) {
    JsonNode list = filter.get(field);
    if (list == null || list.isNull()) {
      return List.of();
    }
    if (list.isTextual()) {
      return List.of(list.asText());
    }
    if (!list.isArray()) {
      throw new InvalidSinkException("'filter." + field + "' must be a list of strings");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode value : list) {
      if (!value.isTextual() || value.asText().isEmpty()) {
        throw new InvalidSinkException("'filter." + field + "' must be a list of non-empty strings, got " + value);
      }
      values.add(value.asText());
    }
    return values;
  }

  private static URI uri(JsonNode json, String field, Set<String> schemes) {
    String text = required(json, field);
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new InvalidSinkException("'" + field + "' is not a URL: " + e.getMessage());
    }
    if (uri.getScheme() == null || !schemes.contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
      throw new InvalidSinkException("'" + field + "' must be a " + String.join("/", new java.util.TreeSet<>(schemes))
          + " URL, got '" + text + "'");
    }
    return uri;
  }

  private static String required(JsonNode json, String field) {
    return optional(json, field).filter(s -> !s.isBlank())
        .orElseThrow(() -> new InvalidSinkException("'" + field + "' is required (a non-empty string)"));
  }

  private static Optional<String> optional(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new InvalidSinkException("'" + field + "' must be a string, got " + value);
    }
    return Optional.of(value.asText());
  }

}
