package io.framewire.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.events.EventLog;
import io.framewire.metrics.SinkMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;

/**
 * The server's sinks: the stored definitions, one {@link SinkRunner} actor per sink, and what
 * {@code /sinks} asks of them. Definitions and positions live in the store's {@code sinks} table,
 * so sinks and their progress outlast restarts. Blocking work runs on the sinks' own threads.
 */
public final class Sinks implements AutoCloseable {

  /** A sink that is running: its definition, actor and the status it last published. */
  private record Running(SinkDefinition definition, ActorRef<SinkRunner.Command> runner, AtomicReference<SinkStatus> status) {}

  /** A create that was refused because the id is taken (409). */
  public static final class SinkExistsException extends RuntimeException {
    public SinkExistsException(String id) {
      super("a sink with id '" + id + "' exists; delete it first");
    }
  }

  private final ActorSystem<?> system;
  private final SinkRepository repository;
  private final EventLog log;
  private final SinkRunner.Context context;
  private final ExecutorService executor;
  private final Map<String, Running> running = new ConcurrentHashMap<>();
  /** Actor names stay unique across registries in one actor system (a test's restart, a delete then a create). */
  private static final AtomicLong GENERATION = new AtomicLong();

  private Sinks(ActorSystem<?> system, EventLog log, SinkRepository repository, SinkSettings settings,
      SinkMetrics metrics, ExecutorService executor) {
    this.system = system;
    this.repository = repository;
    this.log = log;
    this.executor = executor;
    this.context = new SinkRunner.Context(log, repository, settings, metrics, executor, new ObjectMapper());
  }

  /**
   * Starts every stored sink (reads the {@code sinks} table now, blocking) and returns the registry
   * the routes use. The tables must exist (the store's Flyway migrations, {@code V2__sinks.sql}).
   */
  public static Sinks start(
      ActorSystem<?> system, EventLog eventLog, DataSource dataSource, SinkSettings settings, SinkMetrics metrics) {
    Sinks sinks = new Sinks(system, eventLog, new SinkRepository(dataSource, new ObjectMapper()), settings, metrics,
        Executors.newCachedThreadPool(daemonThreads()));
    for (SinkRepository.Stored stored : sinks.repository.list()) {
      sinks.run(stored.definition(), stored.position());
    }
    return sinks;
  }

  /**
   * Stores and starts a new sink; a new sink starts after the newest stored event, or at the oldest
   * with {@code "start": "earliest"}.
   *
   * @return its description; fails with {@link SinkExistsException} if the id is taken
   */
  public CompletionStage<Map<String, Object>> create(SinkDefinition definition) {
    return CompletableFuture.supplyAsync(() -> {
      long position = definition.startAtEarliest() ? 0 : log.latestId();
      if (!repository.insert(definition, position)) {
        throw new SinkExistsException(definition.id());
      }
      return describe(run(definition, position));
    }, executor);
  }

  /**
   * New events were stored: caught-up sinks read now rather than at their next poll. Cheap (one
   * message per sink), never blocks; for the store's writer to call after each batch it commits.
   */
  public void wake() {
    running.values().forEach(sink -> sink.runner().tell(SinkRunner.Wake.INSTANCE));
  }

  /**
   * The store made a new database in place of a deleted one: each running sink's definition is
   * stored again at its position (so it outlasts the next restart). Blocks on JDBC.
   */
  public void storeAgain() {
    for (Running sink : running.values()) {
      repository.insert(sink.definition(), sink.status().get().position());
    }
  }

  /** Every sink, by id. */
  public List<Map<String, Object>> list() {
    List<Map<String, Object>> all = new ArrayList<>();
    running.keySet().stream().sorted().forEach(id -> get(id).ifPresent(all::add));
    return all;
  }

  /** One sink's definition (credentials masked) and status. */
  public Optional<Map<String, Object>> get(String id) {
    return Optional.ofNullable(running.get(id)).map(Sinks::describe);
  }

  /** Stops and forgets a sink. @return whether there was one */
  public CompletionStage<Boolean> delete(String id) {
    Running removed = running.remove(id);
    if (removed != null) {
      removed.runner().tell(SinkRunner.Stop.INSTANCE);
    }
    return CompletableFuture.supplyAsync(() -> repository.delete(id) || removed != null, executor)
        .whenComplete((deleted, error) -> context.metrics().forget(id));
  }

  private Running run(SinkDefinition definition, long position) {
    AtomicReference<SinkStatus> status = new AtomicReference<>(new SinkStatus("starting", position, position, 0, 0, null, 0));
    SinkTarget target = open(definition);
    ActorRef<SinkRunner.Command> runner = system.systemActorOf(
        SinkRunner.create(definition, target, context, status),
        "sink-" + definition.id() + "-" + GENERATION.incrementAndGet(), Props.empty());
    Running started = new Running(definition, runner, status);
    running.put(definition.id(), started);
    return started;
  }

  private SinkTarget open(SinkDefinition definition) {
    Duration timeout = context.settings().publishTimeout();
    TargetSpec target = definition.target();
    if (target instanceof TargetSpec.Mqtt mqtt) {
      return new MqttTarget(mqtt, timeout);
    }
    if (target instanceof TargetSpec.Webhook webhook) {
      return new WebhookTarget(webhook, system);
    }
    return new KafkaTarget(definition.id(), (TargetSpec.Kafka) target, timeout);
  }

  private static Map<String, Object> describe(Running sink) {
    Map<String, Object> json = new LinkedHashMap<>(SinkJson.toJson(sink.definition(), true));
    json.putAll(sink.status().get().toJson());
    return json;
  }

  /** Stops every runner and the sinks' threads (positions are committed as they go). */
  @Override
  public void close() {
    running.values().forEach(sink -> sink.runner().tell(SinkRunner.Stop.INSTANCE));
    running.clear();
    executor.shutdown();
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, "framewire-sinks-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
