package io.framewire.sinks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.framewire.events.EventLog;
import io.framewire.events.StoredEvent;
import io.framewire.metrics.SinkMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One sink: a typed actor that holds its position and state. The loop: read up to a batch of events
 * after the position from the {@link EventLog}; send them in id order with {@link
 * SinkTarget#sendAll} (events the filter leaves out are skipped, not sent); commit the position of
 * the last event acknowledged (or skipped) with every one before it; go on at once while there are
 * more, else wait for a {@link Wake} (this node stored events; read after the linger, so that the
 * commits of that time go in one batch) or the poll interval (another node did, into a shared
 * store). A failure stops the batch at the first event not acknowledged, commits what was before it
 * and retries from there after a capped exponential backoff. So every event is
 * delivered at least once and in order; an event is sent again only when its acknowledgement was
 * lost, a later one of its window was refused, or the server stopped before the commit.
 *
 * <p>Blocking work (the store, the target's client) runs on the sinks' own executor, one task of
 * this sink at a time, so a sink whose target is down holds one thread of its own and slows
 * neither frames nor other sinks.
 */
final class SinkRunner extends AbstractBehavior<SinkRunner.Command> {

  sealed interface Command {}

  private enum Poll implements Command { INSTANCE }

  /** New events were stored: a caught-up sink reads now instead of at its next poll (ignored otherwise). */
  enum Wake implements Command { INSTANCE }

  /** Stops the sink (deleted, or the server stops); its target's connection is closed. */
  enum Stop implements Command { INSTANCE }

  private record PositionLoaded(long position) implements Command {}

  private record Read(List<StoredEvent> events, long latestId) implements Command {}

  /** A batch ended: {@code position} is the last event acknowledged or skipped; {@code error} where it stopped, or null. */
  private record BatchDone(long position, long delivered, Throwable error) implements Command {}

  private record Committed(long position, Throwable batchError, Throwable commitError) implements Command {}

  private record Failed(String what, Throwable error) implements Command {}

  /** Everything a runner needs besides its definition. */
  record Context(
      EventLog log, SinkRepository repository, SinkSettings settings, SinkMetrics metrics, Executor executor,
      ObjectMapper mapper) {}

  static Behavior<Command> create(
      SinkDefinition definition, SinkTarget target, Context context, AtomicReference<SinkStatus> status) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new SinkRunner(ctx, timers, definition, target, context, status)));
  }

  private final TimerScheduler<Command> timers;
  private final SinkDefinition definition;
  private final SinkTarget target;
  private final Context c;
  private final AtomicReference<SinkStatus> status;
  private final String id;

  private long position;
  /** Caught up and waiting for the poll timer: the one state a {@link Wake} may cut short. */
  private boolean waiting;
  /** Woken while waiting: the read is due when the linger ends; later wakes change nothing. */
  private boolean lingering;
  /** The last read reached the end of the log (fewer events than a batch). */
  private boolean readToEnd;
  /** A {@link Wake} came while reading: a read that finds nothing reads once more (it may have raced the commit). */
  private boolean wakePending;
  private long latestId;
  private long delivered;
  private int failures;
  private String lastError;
  private long lastErrorAt;

  private SinkRunner(
      ActorContext<Command> ctx, TimerScheduler<Command> timers, SinkDefinition definition, SinkTarget target,
      Context context, AtomicReference<SinkStatus> status) {
    super(ctx);
    this.timers = timers;
    this.definition = definition;
    this.target = target;
    this.c = context;
    this.status = status;
    this.id = definition.id();
    loadPosition();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Poll.INSTANCE, this::onPoll)
        .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
        .onMessageEquals(Wake.INSTANCE, this::onWake)
        .onMessage(PositionLoaded.class, this::onPositionLoaded)
        .onMessage(Read.class, this::onRead)
        .onMessage(BatchDone.class, this::onBatchDone)
        .onMessage(Committed.class, this::onCommitted)
        .onMessage(Failed.class, this::onFailed)
        .onSignal(PostStop.class, signal -> onStop())
        .build();
  }

  private void loadPosition() {
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> c.repository().position(id).orElse(0L), c.executor()),
        (position, error) -> error == null ? new PositionLoaded(position) : new Failed("reading its position", error));
  }

  private Behavior<Command> onPositionLoaded(PositionLoaded loaded) {
    position = loaded.position();
    return onPoll();
  }

  private Behavior<Command> onWake() {
    if (!waiting) {
      wakePending = failures == 0; // reading or sending: look again after it; backing off: wait
      return this;
    }
    if (c.settings().linger().isZero()) {
      timers.cancel(Poll.INSTANCE);
      return onPoll();
    }
    if (!lingering) {
      lingering = true;
      timers.startSingleTimer(Poll.INSTANCE, c.settings().linger()); // replaces the poll timer
    }
    return this;
  }

  private Behavior<Command> onPoll() {
    waiting = false;
    lingering = false;
    wakePending = false;
    long from = position;
    int limit = c.settings().batchSize();
    getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> {
          List<StoredEvent> events = c.log().readAfter(from, limit);
          // A short read reached the end of the log: its last id is the latest, no second query.
          return new Read(events, events.size() < limit ? from : c.log().latestId());
        }, c.executor()),
        (read, error) -> error == null ? read : new Failed("reading the event log", error));
    return this;
  }

  private Behavior<Command> onRead(Read read) {
    latestId = Math.max(read.latestId(), read.events().isEmpty() ? 0 : read.events().get(read.events().size() - 1).id());
    c.metrics().lag.labels(id).set(Math.max(0, latestId - position));
    readToEnd = read.events().size() < c.settings().batchSize();
    if (read.events().isEmpty()) {
      return idle();
    }
    if (failures == 0) {
      publish("delivering");
    }
    getContext().pipeToSelf(deliver(read.events(), position), (done, error) ->
        error == null ? done : new BatchDone(position, 0, error));
    return this;
  }

  /**
   * Sends a batch in order on the sinks' executor, as one task: the events the filter leaves out are
   * skipped, the others go to {@link SinkTarget#sendAll}; the position may move up to the event
   * before the first one not acknowledged (every event before it was acknowledged or skipped).
   */
  private CompletionStage<BatchDone> deliver(List<StoredEvent> events, long from) {
    return CompletableFuture.supplyAsync(() -> {
      List<StoredEvent> chosen = new ArrayList<>(events.size());
      List<Integer> chosenAt = new ArrayList<>(events.size()); // each chosen event's index in events
      List<byte[]> json = new ArrayList<>(events.size());
      for (int i = 0; i < events.size(); i++) {
        StoredEvent event = events.get(i);
        if (definition.filter().matches(event)) {
          chosen.add(event);
          chosenAt.add(i);
          json.add(EventJson.toBytes(event, c.mapper()));
        }
      }
      int[] acknowledged = {0};
      Throwable error = null;
      try {
        target.sendAll(chosen, json, c.settings().maxInFlight(), index -> {
          acknowledged[0] = index + 1;
          c.metrics().deliveries.labels(id, "delivered").inc();
        });
      } catch (Exception e) {
        c.metrics().deliveries.labels(id, "failed").inc();
        error = e;
      }
      // Where the batch stopped: the first chosen event not acknowledged, or past the end.
      int stop = acknowledged[0] < chosen.size() ? chosenAt.get(acknowledged[0]) : events.size();
      if (error == null && stop < events.size()) {
        error = new IllegalStateException("the target acknowledged " + acknowledged[0] + " of " + chosen.size() + " events");
      }
      int skipped = stop - acknowledged[0];
      if (skipped > 0) {
        c.metrics().deliveries.labels(id, "filtered").inc(skipped);
      }
      return new BatchDone(stop == 0 ? from : events.get(stop - 1).id(), acknowledged[0], error);
    }, c.executor());
  }

  private Behavior<Command> onBatchDone(BatchDone done) {
    delivered += done.delivered();
    if (done.position() <= position) {
      return afterBatch(done.error());
    }
    long committed = done.position();
    getContext().pipeToSelf(CompletableFuture.runAsync(() -> c.repository().commit(id, committed), c.executor()),
        (ok, error) -> new Committed(committed, done.error(), error));
    return this;
  }

  private Behavior<Command> onCommitted(Committed committed) {
    // Delivered is delivered: the position moves on even if the commit failed (the store is down);
    // a restart before the next commit sends those events again, which at-least-once allows.
    position = committed.position();
    c.metrics().lag.labels(id).set(Math.max(0, latestId - position));
    if (committed.commitError() != null && committed.batchError() == null) {
      getContext().getLog().warn("sink {}: could not commit position {}: {}", id, position, committed.commitError().toString());
    }
    return afterBatch(committed.batchError());
  }

  private Behavior<Command> afterBatch(Throwable error) {
    if (error != null) {
      return retry("delivering", error);
    }
    failures = 0;
    if (readToEnd) {
      return idle(); // the batch was the end of the log: no read that would find nothing
    }
    publish("delivering");
    getContext().getSelf().tell(Poll.INSTANCE); // more may be waiting: read on at once
    return this;
  }

  /** Caught up: wait for a wake or the poll interval, unless a wake came while reading or sending. */
  private Behavior<Command> idle() {
    if (wakePending) {
      return onPoll();
    }
    publish("idle");
    waiting = true;
    timers.startSingleTimer(Poll.INSTANCE, c.settings().pollInterval());
    return this;
  }

  private Behavior<Command> onFailed(Failed failed) {
    if (failed.what().equals("reading its position")) {
      failures++;
      record(failed.what(), failed.error());
      publish("retrying");
      getContext().scheduleOnce(c.settings().backoff(failures), getContext().getSelf(), Poll.INSTANCE);
      // Until the position is known, a poll must load it, not read from 0.
      return Behaviors.receive(Command.class)
          .onMessageEquals(Poll.INSTANCE, () -> {
            loadPosition();
            return this;
          })
          .onMessage(PositionLoaded.class, loaded -> {
            failures = 0;
            return onPositionLoaded(loaded);
          })
          .onMessage(Failed.class, this::onFailed)
          .onMessageEquals(Stop.INSTANCE, Behaviors::stopped)
          .onSignal(PostStop.class, signal -> onStop())
          .build();
    }
    return retry(failed.what(), failed.error());
  }

  private Behavior<Command> retry(String what, Throwable error) {
    failures++;
    record(what, error);
    publish("retrying");
    timers.startSingleTimer(Poll.INSTANCE, c.settings().backoff(failures));
    return this;
  }

  private void record(String what, Throwable error) {
    Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause() : error;
    lastError = what + ": " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    lastErrorAt = System.currentTimeMillis();
    if (failures == 1) {
      getContext().getLog().warn("sink {} failed {} (retrying with backoff): {}", id, what, cause.toString());
    }
  }

  private void publish(String state) {
    status.set(new SinkStatus(state, position, latestId, delivered, failures, lastError, lastErrorAt));
  }

  private Behavior<Command> onStop() {
    publish("stopped");
    try {
      CompletableFuture.runAsync(target::close, c.executor());
    } catch (java.util.concurrent.RejectedExecutionException e) {
      target.close(); // the server is stopping and the sinks' threads with it
    }
    return this;
  }
}
