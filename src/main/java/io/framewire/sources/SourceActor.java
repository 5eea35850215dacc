package io.framewire.sources;

import io.framewire.metrics.StreamMetrics;
import io.framewire.engine.Engine;
import io.framewire.events.EventPublisher;
import io.framewire.engine.Failures;
import io.framewire.engine.SessionTools;
import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.video.VideoFilePipelineService;
import io.framewire.video.VideoInputException;
import io.framewire.video.VideoInfo;
import io.framewire.video.VideoInputs;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One live source (a camera): owns its decoding stream, one connection at a time, and decides its
 * state. When a connection ends or fails it waits (exponential backoff: {@code min-backoff},
 * doubling per failed attempt in a row, capped at {@code max-backoff}) and connects again; an attempt
 * that opens the camera resets the backoff. With {@code max-attempts} set, that many failed attempts
 * in a row make it {@code failed}. Nothing it does touches other sources or sessions.
 *
 * <p>It owns the source's pipeline session across connections: when a connection's stream ends, its
 * session is kept, idle, and the next connection continues it ({@link LivePipeline#takeIdle}; on a
 * newer pipeline version the first frame moves it on with its state), so that a tracker's tracks and a
 * line's counts survive reconnects. The session is closed when the source stops or fails for good.
 *
 * <p>Messages come once per connection event and once per second (the fps sample), never per frame:
 * the stream counts frames in {@link SourceStats}.
 */
public final class SourceActor extends AbstractBehavior<SourceActor.Command> {

  private static final Logger log = LoggerFactory.getLogger(SourceActor.class);
  private static final Duration TICK = Duration.ofSeconds(1);
  private static final int FPS_WINDOW = 5;

  public sealed interface Command {}

  /** Stop decoding and stop (the source was deleted). */
  public enum Stop implements Command { INSTANCE }

  record Opened(int attempt, VideoInfo info) implements Command {}

  record PipelineFailed(int attempt, String detail) implements Command {}

  record Ended(int attempt, Throwable failure) implements Command {}

  record Reconnect(int attempt) implements Command {}

  /** The connection's pipeline moved to a new version (its tools' state carried over). */
  record PipelineSwitched(int attempt, int from, int to) implements Command {}

  /** A new version of the pipeline failed to open; the connection goes on with {@code running}. */
  record PipelineSwitchFailed(int attempt, int running, int failed, String detail) implements Command {}

  /** The pipeline was deleted; the connection goes on with {@code running}. */
  record PipelineDeleted(int attempt, int running) implements Command {}

  enum Tick implements Command { INSTANCE }

  private final SourceSpec spec;
  private final SourceSettings settings;
  private final VideoFilePipelineService videos;
  private final SourceStats stats;
  private final StreamMetrics metrics;
  private final Sink<String, NotUsed> hub;
  private final TimerScheduler<Command> timers;
  private final Materializer materializer;
  private final Executor opener; // where a connection opens a new pipeline version's tools
  private final ArrayDeque<long[]> samples = new ArrayDeque<>(); // {nanos, processed}
  private int attempt;
  private int failuresInARow;
  private String attemptError; // the pipeline failure that ended the current attempt, if any
  private UniqueKillSwitch connection;
  // The current connection's pipeline, or the last one's once it ended (its session kept for the next).
  private LivePipeline pipeline;
  private final EventPublisher events; // the camera's events go here, as source:<id>

  public static Behavior<Command> create(
      SourceSpec spec,
      SourceSettings settings,
      VideoFilePipelineService videos,
      SourceStats stats,
      StreamMetrics metrics,
      Sink<String, NotUsed> hub,
      EventPublisher events) {
    return Behaviors.withMdc(Command.class, Map.of("source_id", spec.id(), "pipeline_id", spec.pipelineId()),
        Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new SourceActor(ctx, timers, spec, settings, videos, stats, metrics, hub, events))));
  }

  private SourceActor(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      SourceSpec spec,
      SourceSettings settings,
      VideoFilePipelineService videos,
      SourceStats stats,
      StreamMetrics metrics,
      Sink<String, NotUsed> hub,
      EventPublisher events) {
    super(ctx);
    this.events = events;
    this.spec = spec;
    this.settings = settings;
    this.videos = videos;
    this.stats = stats;
    this.metrics = metrics;
    this.hub = hub;
    this.timers = timers;
    this.materializer = Materializer.matFromSystem(ctx.getSystem());
    this.opener = Engine.blockingExecutor(ctx.getSystem());
    timers.startTimerWithFixedDelay(Tick.INSTANCE, TICK);
    connect(SourceState.CONNECTING);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Opened.class, this::onOpened)
        .onMessage(PipelineFailed.class, failed -> {
          if (failed.attempt() == attempt) {
            attemptError = failed.detail();
          }
          return this;
        })
        .onMessage(Ended.class, this::onEnded)
        .onMessage(Reconnect.class, reconnect -> {
          if (reconnect.attempt() == attempt && stats.state() == SourceState.RECONNECTING) {
            stats.reconnects.incrementAndGet();
            metrics.sourceReconnects.inc();
            connect(SourceState.RECONNECTING);
          }
          return this;
        })
        .onMessage(PipelineSwitched.class, this::onPipelineSwitched)
        .onMessage(PipelineSwitchFailed.class, this::onPipelineSwitchFailed)
        .onMessage(PipelineDeleted.class, this::onPipelineDeleted)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessageEquals(Stop.INSTANCE, () -> {
          stats.state(SourceState.STOPPED);
          event("source_stopped", "source stopped");
          return Behaviors.stopped();
        })
        .onSignal(PreRestart.class, signal -> {
          disconnect();
          closePipeline();
          return this;
        })
        .onSignal(PostStop.class, signal -> {
          disconnect();
          closePipeline();
          if (stats.state() != SourceState.STOPPED) {
            stats.state(SourceState.STOPPED);
          }
          return this;
        })
        .build();
  }

  private void connect(SourceState state) {
    attempt++;
    attemptError = null;
    stats.state(state);
    int thisAttempt = attempt;
    SessionTools session;
    try {
      session = session();
    } catch (RuntimeException e) {
      getContext().getSelf().tell(new Ended(thisAttempt, e));
      return;
    }
    stats.pipeline(session.version(), null);
    var self = getContext().getSelf();
    SourceStream.Listener listener = new SourceStream.Listener() {
      @Override
      public void opened(VideoInfo info) {
        self.tell(new Opened(thisAttempt, info));
      }

      @Override
      public void pipelineFailed(String detail) {
        self.tell(new PipelineFailed(thisAttempt, detail));
      }

      @Override
      public void ended(Throwable failure) {
        self.tell(new Ended(thisAttempt, failure));
      }

      @Override
      public void switched(int from, int to) {
        self.tell(new PipelineSwitched(thisAttempt, from, to));
      }

      @Override
      public void switchFailed(int running, int failed, String detail) {
        self.tell(new PipelineSwitchFailed(thisAttempt, running, failed, detail));
      }

      @Override
      public void deleted(int running) {
        self.tell(new PipelineDeleted(thisAttempt, running));
      }
    };
    pipeline = new LivePipeline(videos, session, opener, listener, events, "source:" + spec.id());
    connection = SourceStream.start(spec, settings, pipeline, stats, metrics, hub, listener, materializer);
  }

  /**
   * The session the next connection runs on: the last connection's, with its tools' state, if it is
   * idle; else a new one on the pipeline's current version.
   *
   * @throws UnknownPipelineException if the pipeline is deleted (the kept session waits for it)
   */
  private SessionTools session() {
    if (videos.pipelines().currentVersion(spec.pipelineId()) == 0) {
      throw new UnknownPipelineException(spec.pipelineId());
    }
    if (pipeline != null) {
      SessionTools kept = pipeline.takeIdle();
      if (kept == null) {
        // A run outlived the connection (past the frame timeout): its tools close once it settles.
        pipeline.close();
      }
      pipeline = null;
      if (kept != null) {
        return kept;
      }
    }
    return videos.openSession(spec.pipelineId());
  }

  private Behavior<Command> onOpened(Opened opened) {
    if (opened.attempt() == attempt && stats.state() != SourceState.STOPPED) {
      failuresInARow = 0;
      stats.state(SourceState.RUNNING);
      event("source_running", "source running: " + opened.info().width() + "x" + opened.info().height());
    }
    return this;
  }

  private Behavior<Command> onEnded(Ended ended) {
    if (ended.attempt() != attempt || stats.state() == SourceState.STOPPED) {
      return this;
    }
    connection = null;
    String reason = attemptError != null ? attemptError
        : ended.failure() != null ? describe(ended.failure())
        : "the stream ended";
    stats.lastError(reason);
    failuresInARow++;
    if (settings.maxAttempts() > 0 && failuresInARow >= settings.maxAttempts()) {
      stats.state(SourceState.FAILED);
      closePipeline();
      event("source_failed", "source failed after " + failuresInARow + " attempts in a row: " + reason);
      return this;
    }
    Duration wait = settings.backoff(failuresInARow);
    stats.state(SourceState.RECONNECTING);
    event("source_lost", "source lost (" + reason + "); reconnecting in " + wait.toMillis() + " ms");
    timers.startSingleTimer(new Reconnect(attempt), wait);
    return this;
  }

  private Behavior<Command> onPipelineSwitched(PipelineSwitched switched) {
    if (switched.attempt() == attempt) {
      stats.pipeline(switched.to(), null);
      event("source_pipeline_updated",
          "pipeline updated from version " + switched.from() + " to " + switched.to() + " on a running source");
    }
    return this;
  }

  private Behavior<Command> onPipelineSwitchFailed(PipelineSwitchFailed failed) {
    if (failed.attempt() == attempt) {
      String problem = "version " + failed.failed() + " failed to open (" + failed.detail() + "); still running version "
          + failed.running();
      stats.pipeline(failed.running(), problem);
      event("source_pipeline_update_failed", "pipeline " + problem);
    }
    return this;
  }

  private Behavior<Command> onPipelineDeleted(PipelineDeleted deleted) {
    if (deleted.attempt() == attempt) {
      String problem = "pipeline '" + spec.pipelineId() + "' was deleted; still running version " + deleted.running()
          + " until the source reconnects";
      stats.pipeline(deleted.running(), problem);
      event("source_pipeline_deleted", problem);
    }
    return this;
  }

  private Behavior<Command> onTick() {
    long now = System.nanoTime();
    samples.addLast(new long[] {now, stats.processed.get()});
    while (samples.size() > FPS_WINDOW + 1) {
      samples.removeFirst();
    }
    long[] first = samples.peekFirst();
    double seconds = (now - first[0]) / 1e9;
    stats.fps(seconds > 0 ? (stats.processed.get() - first[1]) / seconds : 0);
    return this;
  }

  /** Closes the source's session (after the run in flight, if any): its tools' state ends here. */
  private void closePipeline() {
    if (pipeline != null) {
      pipeline.close();
      pipeline = null;
    }
  }

  private void disconnect() {
    if (connection != null) {
      connection.shutdown(); // stops decoding; the decoder closes itself once its read returns
      connection = null;
    }
  }

  private static String describe(Throwable failure) {
    Throwable cause = Failures.unwrap(failure);
    if (cause instanceof VideoInputException || cause instanceof IllegalArgumentException) {
      return cause.getMessage();
    }
    log.warn("live source stream failed unexpectedly", cause);
    return "the stream failed unexpectedly";
  }

  private void event(String type, String message) {
    MDC.put("event_type", type);
    MDC.put("source_url", VideoInputs.masked(spec.url()));
    try {
      if (type.equals("source_running") || type.equals("source_stopped") || type.equals("source_pipeline_updated")) {
        log.info(message);
      } else {
        log.warn(message);
      }
    } finally {
      MDC.remove("event_type");
      MDC.remove("source_url");
    }
  }
}
