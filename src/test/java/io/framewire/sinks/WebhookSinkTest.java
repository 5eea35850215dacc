package io.framewire.sinks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.events.StoredEvent;
import io.framewire.metrics.SinkMetrics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook sink against a real HTTP endpoint: one POST per event, as stored, in order, signed;
 * a 500 is retried (after a backoff) and a 2xx is not; filtered events move the position without a
 * request; a new runner resumes from the committed position.
 */
class WebhookSinkTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final SinkSettings FAST = new SinkSettings(
      Duration.ofMillis(20), 3, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(2));
  private static final String SECRET = "hook-secret";

  @TempDir Path dir;
  private final ObjectMapper mapper = new ObjectMapper();
  private final ListEventLog log = new ListEventLog();
  private DataSource db;

  @BeforeEach
  void start() throws Exception {
    db = SinkTestDb.migrated(dir);
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private SinkDefinition hook(WebhookReceiver receiver, Map<String, Object> more) {
    Map<String, Object> json = new java.util.HashMap<>(Map.of("id", "hook", "type", "webhook", "url", receiver.url(),
        "secret", SECRET, "timeout_ms", 2000, "start", "earliest"));
    json.putAll(more);
    return SinkJson.parse(mapper.valueToTree(json));
  }

  @Test
  void aServerErrorIsRetriedAndA2xxIsNotEachEventSignedAsStored() throws Exception {
    List<StoredEvent> stored = log.appendCrossings(5);
    SinkMetrics metrics = SinkMetrics.unregistered();
    try (WebhookReceiver receiver = new WebhookReceiver(500, 500, 200, 201, 500, 202);
        Sinks sinks = Sinks.start(testKit.system(), log, db, FAST, metrics)) {
      sinks.create(hook(receiver, Map.of())).toCompletableFuture().get();
      List<WebhookReceiver.Request> got = receiver.awaitAcknowledged(5, WAIT);

      // Event 1 refused twice then taken; 2 taken; 3 refused once then taken; 4, 5 taken: no 2xx repeated.
      assertEquals(List.of("1→500", "1→500", "1→200", "2→201", "3→500", "3→202", "4→204", "5→204"),
          got.stream().map(r -> r.eventId() + "→" + r.answered()).toList());
      for (WebhookReceiver.Request request : got) {
        StoredEvent event = stored.get(Integer.parseInt(request.eventId()) - 1);
        assertEquals(mapper.readTree(mapper.writeValueAsBytes(EventJson.toMap(event))), mapper.readTree(request.body()));
        assertEquals("sha256=" + hmac(SECRET, request.body()), request.signature());
        assertEquals("application/json", request.contentType());
      }
      Awaits.until("the position committed", WAIT,
          () -> new SinkRepository(db, mapper).position("hook").orElse(-1) == 5, () -> sinks.get("hook"));
      assertEquals(5.0, metrics.deliveries.labels("hook", "delivered").get());
      assertEquals(3.0, metrics.deliveries.labels("hook", "failed").get());
      awaitIdle(sinks);
      Map<String, Object> status = sinks.get("hook").orElseThrow();
      assertEquals(0L, ((Number) status.get("lag")).longValue());
      assertEquals("delivering: the webhook answered 500 Internal Server Error", status.get("last_error"));
      assertEquals(SinkJson.MASK, status.get("secret"));
    }
  }

  @Test
  void filteredEventsAdvanceThePositionWithoutARequest() throws Exception {
    log.appendCrossings(2);
    log.append("zone_entered", "source:door", Map.of("zone", "bench", "track_id", 3, "label", "dog"));
    log.append("zone_entered", "source:door", Map.of("zone", "bench", "track_id", 4, "label", "person"));
    log.append("zone_entered", "session:abc", Map.of("zone", "bench", "track_id", 5, "label", "person"));
    try (WebhookReceiver receiver = new WebhookReceiver();
        Sinks sinks = Sinks.start(testKit.system(), log, db, FAST, SinkMetrics.unregistered())) {
      sinks.create(hook(receiver, Map.of("filter", Map.of("type", List.of("zone_entered"), "label", List.of("person"),
          "stream", List.of("source:*"))))).toCompletableFuture().get();
      Awaits.until("the position past every event", WAIT,
          () -> new SinkRepository(db, mapper).position("hook").orElse(-1) == 5, () -> sinks.get("hook"));
      assertEquals(List.of("4"), receiver.requests().stream().map(WebhookReceiver.Request::eventId).toList());
    }
  }

  @Test
  void aNewRunnerResumesFromTheCommittedPosition() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      log.appendCrossings(4);
      try (Sinks sinks = Sinks.start(testKit.system(), log, db, FAST, SinkMetrics.unregistered())) {
        sinks.create(hook(receiver, Map.of())).toCompletableFuture().get();
        receiver.awaitAcknowledged(4, WAIT);
        Awaits.until("the position committed", WAIT,
            () -> new SinkRepository(db, mapper).position("hook").orElse(-1) == 4, () -> sinks.get("hook"));
      }
      log.appendCrossings(3);
      try (Sinks sinks = Sinks.start(testKit.system(), log, db, FAST, SinkMetrics.unregistered())) {
        receiver.awaitAcknowledged(7, WAIT);
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7"),
            receiver.requests().stream().map(WebhookReceiver.Request::eventId).toList());
      }
    }
  }

  @Test
  void aCrashBeforeTheCommitSendsAgainAndLosesNothing() throws Exception {
    // As if the server died (kill -9) after each delivery and before its commit: the store refuses
    // every position update, so the stored position stays where the sink was created.
    DataSource noCommits = refusing(db, "UPDATE");
    log.appendCrossings(4);
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      try (Sinks sinks = Sinks.start(testKit.system(), log, noCommits, FAST, SinkMetrics.unregistered())) {
        sinks.create(hook(receiver, Map.of())).toCompletableFuture().get();
        receiver.awaitAcknowledged(4, WAIT);
        awaitIdle(sinks);
        assertEquals(4L, ((Number) sinks.get("hook").orElseThrow().get("position")).longValue(), "delivered is delivered");
      }
      assertEquals(0L, new SinkRepository(db, mapper).position("hook").orElseThrow(), "nothing was committed");
      log.appendCrossings(1);
      try (Sinks sinks = Sinks.start(testKit.system(), log, db, FAST, SinkMetrics.unregistered())) {
        receiver.awaitAcknowledged(9, WAIT);
        assertEquals(List.of("1", "2", "3", "4", "1", "2", "3", "4", "5"),
            receiver.requests().stream().map(WebhookReceiver.Request::eventId).toList());
      }
    }
  }

  /** {@code dataSource}, except that statements starting with {@code verb} fail. */
  private static DataSource refusing(DataSource dataSource, String verb) {
    return (DataSource) java.lang.reflect.Proxy.newProxyInstance(DataSource.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          Object result = method.invoke(dataSource, args);
          if (!method.getName().equals("getConnection")) {
            return result;
          }
          java.sql.Connection connection = (java.sql.Connection) result;
          return java.lang.reflect.Proxy.newProxyInstance(java.sql.Connection.class.getClassLoader(),
              new Class<?>[] {java.sql.Connection.class}, (p, m, a) -> {
                if (m.getName().equals("prepareStatement") && ((String) a[0]).startsWith(verb)) {
                  connection.close();
                  throw new java.sql.SQLException("refused by the test: " + verb);
                }
                return m.invoke(connection, a);
              });
        });
  }

  @Test
  void aNewSinkStartsAfterTheNewestEventUnlessToldEarliest() throws Exception {
    log.appendCrossings(3);
    try (WebhookReceiver receiver = new WebhookReceiver();
        Sinks sinks = Sinks.start(testKit.system(), log, db, FAST, SinkMetrics.unregistered())) {
      Map<String, Object> created = sinks.create(hook(receiver, Map.of("start", "latest"))).toCompletableFuture().get();
      assertEquals(3L, ((Number) created.get("position")).longValue());
      log.appendCrossings(1);
      receiver.awaitAcknowledged(1, WAIT);
      assertEquals(List.of("4"), receiver.requests().stream().map(WebhookReceiver.Request::eventId).toList());
    }
  }

  @Test
  void aWakeUpReadsAtOnceInsteadOfAtTheNextPoll() throws Exception {
    // A poll interval no test waits out: only wake() can bring the second event.
    SinkSettings slowPoll = new SinkSettings(
        Duration.ofHours(1), 3, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(2));
    log.appendCrossings(1);
    try (WebhookReceiver receiver = new WebhookReceiver();
        Sinks sinks = Sinks.start(testKit.system(), log, db, slowPoll, SinkMetrics.unregistered())) {
      sinks.create(hook(receiver, Map.of())).toCompletableFuture().get();
      receiver.awaitAcknowledged(1, WAIT);
      awaitIdle(sinks);
      log.appendCrossings(1);
      sinks.wake();
      receiver.awaitAcknowledged(2, WAIT);
      assertEquals(List.of("1", "2"), receiver.requests().stream().map(WebhookReceiver.Request::eventId).toList());
    }
  }

  @Test
  void aWakeReadsWhenTheLingerEndsWithTheEventsStoredMeanwhile() throws Exception {
    Duration linger = Duration.ofMillis(400);
    SinkSettings lingering = new SinkSettings(
        Duration.ofHours(1), 100, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofSeconds(2), 10, linger);
    log.appendCrossings(1);
    try (WebhookReceiver receiver = new WebhookReceiver();
        Sinks sinks = Sinks.start(testKit.system(), log, db, lingering, SinkMetrics.unregistered())) {
      sinks.create(hook(receiver, Map.of())).toCompletableFuture().get();
      receiver.awaitAcknowledged(1, WAIT);
      awaitIdle(sinks);
      long woken = System.nanoTime();
      log.appendCrossings(1);
      sinks.wake();
      log.appendCrossings(1); // a second commit while the sink lingers: the same read takes both
      sinks.wake();
      receiver.awaitAcknowledged(3, WAIT);
      // Pekko's timers never fire early: the read, and so the sending, came at least the linger after the wake.
      assertTrue(System.nanoTime() - woken >= linger.toNanos(), "sent before the linger ended");
      assertEquals(List.of("1", "2", "3"), receiver.requests().stream().map(WebhookReceiver.Request::eventId).toList());
    }
  }

  /** Until the test's sink "hook" has delivered what it read and waits for more. */
  private static void awaitIdle(Sinks sinks) {
    Awaits.until("the sink idle", WAIT, () -> "idle".equals(sinks.get("hook").orElseThrow().get("state")),
        () -> sinks.get("hook"));
  }

  /** The receiver's side of the signature, written out independently of the sink's code. */
  private static String hmac(String secret, byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(body));
  }
}
