package io.framewire.jobs;

import io.framewire.metrics.JobMetrics;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The jobs' one owner: their states, the FIFO queue and the running streams. At most {@code
 * maxRunning} run at once; the next queued one starts when one ends. Streams run on their own (the
 * actor never waits for a frame): the actor hears of a job's open (its length) and of its end, and
 * reads a running job's frame count from its counter. State changes are handed to {@code persist}
 * (the store's ordered writer), never written on the actor's thread.
 */
final class JobsActor extends AbstractBehavior<JobsActor.Command> {

  /** What the actor is told. */
  sealed interface Command permits Submit, Get, ListAll, Remove, Opened, Ended, Stop {}

  /** A new (stored) job or one to run again after a restart; replies its status. */
  record Submit(JobRecord job, ActorRef<JobStatus> replyTo) implements Command {}

  record Get(String id, ActorRef<Optional<JobStatus>> replyTo) implements Command {}

  /** Every job, newest first. */
  record ListAll(ActorRef<List<JobStatus>> replyTo) implements Command {}

  /** Cancels a queued or running job, or deletes a finished one with its files. */
  record Remove(String id, ActorRef<Removal> replyTo) implements Command {}

  /** A running job's input is open: it will process {@code total} frames (-1: unknown). */
  record Opened(String id, long total) implements Command {}

  /** A job's stream ended; {@code error} null when it completed. */
  record Ended(String id, RunningJob run, Throwable error) implements Command {}

  /** The server stops: end the running streams, store nothing more (a running job runs again at the next start). */
  record Stop(ActorRef<Done> replyTo) implements Command {}

  /** What {@link Remove} did. */
  sealed interface Removal permits Cancelled, Deleted, NotFound {}

  record Cancelled(JobStatus status) implements Removal {}

  record Deleted(String id) implements Removal {}

  record NotFound(String id) implements Removal {}

  /** Starts a job's stream; {@code onTotal} is told its length once known. */
  interface Runner {
    RunningJob start(JobRecord job, Consumer<Long> onTotal);
  }

  /** Where the actor hands its changes: stored in order, off its thread. */
  interface Store {
    void save(JobRecord job);

    /** Deletes the job's row and files. */
    void delete(String id);
  }

  private final int maxRunning;
  private final Runner runner;
  private final Store store;
  private final JobMetrics metrics;
  private final Map<String, JobRecord> jobs = new LinkedHashMap<>();
  private final Deque<String> queue = new ArrayDeque<>();
  private final Map<String, RunningJob> running = new HashMap<>();
  private boolean stopping;

  static Behavior<Command> create(int maxRunning, Runner runner, Store store, JobMetrics metrics) {
    return Behaviors.setup(ctx -> new JobsActor(ctx, maxRunning, runner, store, metrics));
  }

  private JobsActor(ActorContext<Command> ctx, int maxRunning, Runner runner, Store store, JobMetrics metrics) {
    super(ctx);
    this.maxRunning = maxRunning;
    this.runner = runner;
    this.store = store;
    this.metrics = metrics;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(Get.class, this::onGet)
        .onMessage(ListAll.class, this::onList)
        .onMessage(Remove.class, this::onRemove)
        .onMessage(Opened.class, this::onOpened)
        .onMessage(Ended.class, this::onEnded)
        .onMessage(Stop.class, this::onStop)
        .build();
  }

  private Behavior<Command> onSubmit(Submit submit) {
    JobRecord job = submit.job();
    jobs.put(job.id(), job);
    if (job.state() == JobState.QUEUED) {
      queue.add(job.id());
    }
    startWhatFits();
    submit.replyTo().tell(statusOf(jobs.get(job.id())));
    gauges();
    return this;
  }

  private Behavior<Command> onGet(Get get) {
    get.replyTo().tell(Optional.ofNullable(jobs.get(get.id())).map(this::statusOf));
    return this;
  }

  private Behavior<Command> onList(ListAll list) {
    List<JobStatus> all = new ArrayList<>(jobs.size());
    jobs.values().forEach(job -> all.add(statusOf(job)));
    java.util.Collections.reverse(all); // submission order, newest first
    list.replyTo().tell(all);
    return this;
  }

  private Behavior<Command> onRemove(Remove remove) {
    JobRecord job = jobs.get(remove.id());
    if (job == null) {
      remove.replyTo().tell(new NotFound(remove.id()));
      return this;
    }
    if (job.state().finished()) {
      jobs.remove(job.id());
      store.delete(job.id());
      remove.replyTo().tell(new Deleted(job.id()));
      return this;
    }
    RunningJob run = running.get(job.id());
    long frames = run == null ? 0 : run.frames().get();
    if (run != null) {
      run.kill().shutdown(); // its slot frees when its stream has ended (Ended)
    } else {
      queue.remove(job.id());
    }
    JobRecord cancelled = job.ended(JobState.CANCELLED, frames, null, System.currentTimeMillis());
    jobs.put(job.id(), cancelled);
    store.save(cancelled);
    metrics.finished.labels(JobState.CANCELLED.json()).inc();
    remove.replyTo().tell(new Cancelled(statusOf(cancelled)));
    gauges();
    return this;
  }

  private Behavior<Command> onOpened(Opened opened) {
    JobRecord job = jobs.get(opened.id());
    if (job != null && job.state() == JobState.RUNNING && opened.total() >= 0) {
      jobs.put(job.id(), job.withTotal(opened.total()));
    }
    return this;
  }

  private Behavior<Command> onEnded(Ended ended) {
    if (running.get(ended.id()) != ended.run()) {
      return this;
    }
    running.remove(ended.id());
    if (stopping) {
      return this; // the server stops: the job stays running in the store and runs again at the next start
    }
    JobRecord job = jobs.get(ended.id()); // null: deleted since it was cancelled
    if (job != null) {
      long frames = ended.run().frames().get();
      if (job.state() == JobState.CANCELLED) {
        JobRecord cancelled = job.ended(JobState.CANCELLED, frames, null, job.finishedAt());
        jobs.put(job.id(), cancelled);
        store.save(cancelled);
      } else {
        JobState end = ended.error() == null ? JobState.DONE : JobState.FAILED;
        String why = ended.error() == null ? null : JobFailures.describe(ended.error());
        JobRecord finished = job.ended(end, frames, why, System.currentTimeMillis());
        jobs.put(job.id(), finished);
        store.save(finished);
        metrics.finished.labels(end.json()).inc();
      }
    }
    startWhatFits();
    gauges();
    return this;
  }

  private Behavior<Command> onStop(Stop stop) {
    stopping = true;
    queue.clear();
    running.values().forEach(run -> run.kill().shutdown());
    stop.replyTo().tell(Done.getInstance());
    return this;
  }

  private void startWhatFits() {
    while (!stopping && running.size() < maxRunning && !queue.isEmpty()) {
      String id = queue.poll();
      JobRecord job = jobs.get(id).running(System.currentTimeMillis());
      jobs.put(id, job);
      store.save(job);
      RunningJob run;
      try {
        run = runner.start(job, total -> getContext().getSelf().tell(new Opened(id, total)));
      } catch (RuntimeException e) {
        JobRecord failed = job.ended(JobState.FAILED, 0, JobFailures.describe(e), System.currentTimeMillis());
        jobs.put(id, failed);
        store.save(failed);
        metrics.finished.labels(JobState.FAILED.json()).inc();
        continue;
      }
      running.put(id, run);
      getContext().pipeToSelf(run.done(), (ok, error) -> new Ended(id, run, error));
    }
  }

  private void gauges() {
    metrics.jobs.labels(JobState.QUEUED.json()).set(queue.size());
    metrics.jobs.labels(JobState.RUNNING.json()).set(running.size());
  }

  private JobStatus statusOf(JobRecord job) {
    RunningJob run = job.state() == JobState.RUNNING ? running.get(job.id()) : null;
    long frames = run != null ? run.frames().get() : job.framesDone();
    double fps = 0;
    Double eta = null;
    if (run != null) {
      double seconds = (System.nanoTime() - run.startedNanos()) / 1e9;
      fps = seconds > 0 ? frames / seconds : 0;
      if (job.framesTotal() >= 0 && fps > 0) {
        eta = Math.max(0, job.framesTotal() - frames) / fps;
      }
    } else if (job.state().finished() && job.startedAt() > 0 && job.finishedAt() > job.startedAt()) {
      fps = frames * 1000.0 / (job.finishedAt() - job.startedAt());
    }
    return new JobStatus(job.id(), job.pipelineId(), job.input(), job.state(), frames,
        job.framesTotal() < 0 ? null : job.framesTotal(), fps, eta, job.error(), Instant.ofEpochMilli(job.createdAt()),
        job.startedAt() == 0 ? null : Instant.ofEpochMilli(job.startedAt()),
        job.finishedAt() == 0 ? null : Instant.ofEpochMilli(job.finishedAt()));
  }
}
