package io.framewire.jobs;

import io.framewire.events.EventPublisher;
import io.framewire.metrics.JobMetrics;
import io.framewire.streaming.Answer;
import io.framewire.streaming.AnswerEncoder;
import io.framewire.streaming.ResultEvents;
import io.framewire.video.VideoFilePipelineService;
import io.framewire.video.VideoInfo;
import io.framewire.video.VideoInputs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.IOResult;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Video analysis jobs (docs/jobs.md): submit a pipeline over a file or a stream, follow it, read its
 * results, cancel or delete it. The public API of {@code /jobs} and of the MCP tools. A job runs on
 * the engine's {@link VideoFilePipelineService#resultsOf} (what {@code framewire run} runs) and writes
 * the same JSON lines to {@code DATA_DIR/jobs/<id>/results.jsonl}; its events go to the event
 * publisher as {@code job:<id>}. Jobs are kept in the event store's database: after a restart the
 * finished ones are there with their results, the queued ones run, and one that was running runs
 * again from its beginning.
 */
public final class JobService {

  private static final Logger log = LoggerFactory.getLogger(JobService.class);
  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);
  /** How often a reader following a running job's results looks for more at the end of the file. */
  private static final Duration FOLLOW_POLL = Duration.ofMillis(100);
  static final String RESULTS_FILE = "results.jsonl";

  /** A file being uploaded for a job that does not exist yet: its id and where its bytes go. */
  public record Upload(String id, Path file, String name) {}

  /** A bounded page of a job's result lines. */
  public record ResultsPage(String id, long offset, List<String> lines, long nextOffset, boolean complete) {}

  private final JobSettings settings;
  private final Path inputDir;
  private final Path jobsDir;
  private final ActorSystem<?> system;
  private final ActorRef<JobsActor.Command> actor;
  private final JobRepository repository;
  private final ExecutorService writer;
  private final VideoFilePipelineService videos;
  private final Executor blocking;
  private final JobMetrics metrics;
  private final AtomicLong seq;

  private JobService(JobSettings settings, Path dataDir, ActorSystem<?> system, JobRepository repository,
      VideoFilePipelineService videos, EventPublisher events, Executor blocking, JobMetrics metrics, long lastSeq) {
    this.settings = settings;
    this.inputDir = settings.inputDirUnder(dataDir);
    this.jobsDir = dataDir.resolve("jobs");
    this.system = system;
    this.repository = repository;
    this.videos = videos;
    this.blocking = blocking;
    this.metrics = metrics;
    this.seq = new AtomicLong(lastSeq);
    // One thread: the store sees a job's changes in the order the actor made them.
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "framewire-jobs-store");
      t.setDaemon(true);
      return t;
    });
    JobsActor.Store store = new JobsActor.Store() {
      @Override
      public void save(JobRecord job) {
        write(() -> repository.save(job));
      }

      @Override
      public void delete(String id) {
        write(() -> {
          repository.delete(id);
          deleteTree(jobsDir.resolve(id));
        });
      }
    };
    this.actor = system.systemActorOf(
        JobsActor.create(settings.maxRunning(), (job, onTotal) -> run(job, onTotal, events), store, metrics),
        "jobs", Props.empty());
  }

  /**
   * Starts the jobs of this server: reads the stored ones (a job that was running is queued again,
   * its results to be written anew) and runs the queued ones in their order. Blocks on the database.
   *
   * @param dataDir {@code DATA_DIR}: the jobs' files go to {@code dataDir/jobs/<id>/}
   * @param database the event store's database (its {@code jobs} table)
   * @param events where the jobs' events go ({@code stream: job:<id>})
   * @param blocking where file reads run
   */
  public static JobService start(ActorSystem<?> system, JobSettings settings, Path dataDir, DataSource database,
      VideoFilePipelineService videos, EventPublisher events, Executor blocking, JobMetrics metrics) {
    JobRepository repository = new JobRepository(database);
    List<JobRecord> stored = repository.list();
    long lastSeq = stored.stream().mapToLong(JobRecord::seq).max().orElse(0);
    JobService service = new JobService(settings, dataDir, system, repository, videos, events, blocking, metrics,
        lastSeq);
    try {
      Files.createDirectories(service.inputDir);
      Files.createDirectories(service.jobsDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the jobs' directories under " + dataDir, e);
    }
    int again = 0;
    for (JobRecord job : stored) {
      JobRecord current = job;
      if (job.state() == JobState.RUNNING) {
        current = job.queued(); // runs again from its beginning; its results file is written anew
        again++;
        JobRecord requeued = current;
        service.write(() -> repository.save(requeued));
      }
      service.actor.tell(new JobsActor.Submit(current, system.ignoreRef()));
    }
    if (!stored.isEmpty()) {
      log.info("jobs: {} stored, {} to run again from their beginning", stored.size(), again);
    }
    return service;
  }

  public JobSettings settings() {
    return settings;
  }

  /** Where path inputs are read from ({@code JOBS_INPUT_DIR}, or {@code DATA_DIR/input}). */
  public Path inputDir() {
    return inputDir;
  }

  /**
   * Checks and stores a job, then queues it.
   *
   * @return its status (queued, or running if a slot was free); fails with a {@link JobException}
   *     for a bad request (unknown pipeline, input outside the input directory, missing file, …)
   */
  public CompletionStage<JobStatus> submit(JobRequest request) {
    try {
      checkRequest(request.pipelineId(), request.stride(), request.maxFrames());
      String input = JobInputs.check(request.input(), request.maxFrames(), inputDir);
      JobRecord.InputKind kind = VideoInputs.scheme(input) != null ? JobRecord.InputKind.URL : JobRecord.InputKind.PATH;
      return enqueue(newRecord(UUID.randomUUID().toString(), request, input, kind));
    } catch (JobException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * A place for an upload's bytes: {@code DATA_DIR/jobs/<new id>/upload<.ext>}. Give it to {@link
   * #submitUpload} once written, or to {@link #discard}.
   *
   * @param fileName the client's file name (only its extension is kept in the path)
   */
  public Upload prepareUpload(String fileName) {
    String id = UUID.randomUUID().toString();
    String name = fileName == null || fileName.isBlank() ? "upload" : Path.of(fileName.replace('\\', '/')).getFileName()
        .toString();
    try {
      Path dir = Files.createDirectories(jobsDir.resolve(id));
      return new Upload(id, dir.resolve("upload" + extension(name)), name);
    } catch (IOException e) {
      throw new JobException(503, "jobs_unavailable", "cannot create the job's directory: " + e.getMessage());
    }
  }

  /** Queues a job over an uploaded file ({@code request.input()} is not used). */
  public CompletionStage<JobStatus> submitUpload(Upload upload, JobRequest request) {
    try {
      checkRequest(request.pipelineId(), request.stride(), request.maxFrames());
      return enqueue(newRecord(upload.id(), request, upload.name(), JobRecord.InputKind.UPLOAD));
    } catch (JobException e) {
      discard(upload);
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Removes an upload that will not become a job (refused, too large, broken off). */
  public void discard(Upload upload) {
    deleteTree(jobsDir.resolve(upload.id()));
  }

  /** The job's status, empty if there is no such job. */
  public CompletionStage<Optional<JobStatus>> status(String id) {
    return AskPattern.ask(actor, replyTo -> new JobsActor.Get(id, replyTo), ASK_TIMEOUT, system.scheduler());
  }

  /** Every job, newest first. */
  public CompletionStage<List<JobStatus>> list() {
    return AskPattern.ask(actor, JobsActor.ListAll::new, ASK_TIMEOUT, system.scheduler());
  }

  /** The outcome of {@link #cancel}. */
  public enum Removal { CANCELLED, DELETED, NOT_FOUND }

  /**
   * Cancels a queued or running job (it stays listed as {@code cancelled}, with the results written
   * so far), or deletes a finished one with its files.
   */
  public CompletionStage<Removal> cancel(String id) {
    CompletionStage<JobsActor.Removal> removal =
        AskPattern.ask(actor, replyTo -> new JobsActor.Remove(id, replyTo), ASK_TIMEOUT, system.scheduler());
    return removal.thenApply(r -> r instanceof JobsActor.Cancelled ? Removal.CANCELLED
        : r instanceof JobsActor.Deleted ? Removal.DELETED : Removal.NOT_FOUND);
  }

  /**
   * The job's result lines (each {@code {"frame_index": i, "result": {…}}} and a newline) as they are
   * written: what is in the file now, then more while the job runs, ending when it has ended.
   * Materialize it once per reader; empty if there is no such job.
   */
  public Source<ByteString, NotUsed> results(String id) {
    Path file = resultsFile(id);
    return Source.unfoldResourceAsync(
        () -> CompletableFuture.completedFuture(new ResultsTail(file)),
        tail -> nextChunk(id, tail),
        tail -> CompletableFuture.supplyAsync(() -> {
          tail.close();
          return Done.getInstance();
        }, blocking))
        .filter(chunk -> !chunk.isEmpty());
  }

  /**
   * At most {@code limit} result lines from line {@code offset} (0-based), read now.
   *
   * @return empty if there is no such job; {@code complete} when the job has ended and no line is left after the page
   */
  public CompletionStage<Optional<ResultsPage>> results(String id, long offset, int limit) {
    if (offset < 0 || limit < 1) {
      return CompletableFuture.failedFuture(
          new JobException(400, "invalid_request", "offset must be >= 0 and limit >= 1"));
    }
    return status(id).thenApplyAsync(status -> status.map(s -> {
      List<String> lines = new ArrayList<>(Math.min(limit, 1000));
      boolean more = false;
      try (BufferedReader reader = Files.newBufferedReader(resultsFile(id), StandardCharsets.UTF_8)) {
        long index = 0;
        String line;
        while ((line = reader.readLine()) != null) {
          if (index >= offset) {
            if (lines.size() == limit) {
              more = true;
              break;
            }
            lines.add(line);
          }
          index++;
        }
      } catch (NoSuchFileException e) {
        // not started yet: no lines
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new ResultsPage(id, offset, lines, offset + lines.size(), s.state().finished() && !more);
    }), blocking);
  }

  /** Ends the running jobs' streams and writes what is queued for the store; they run again at the next start. */
  public CompletionStage<Done> stop() {
    CompletionStage<Done> stopped =
        AskPattern.ask(actor, JobsActor.Stop::new, ASK_TIMEOUT, system.scheduler());
    return stopped.handle((done, error) -> {
      writer.shutdown();
      try {
        if (!writer.awaitTermination(5, TimeUnit.SECONDS)) {
          log.warn("jobs: the store's writer did not finish within 5 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Done.getInstance();
    });
  }

  private void checkRequest(String pipelineId, int stride, long maxFrames) {
    if (pipelineId == null || pipelineId.isBlank()) {
      throw new JobException(400, "invalid_request", "pipeline_id is required");
    }
    if (!videos.isValidPipeline(pipelineId)) {
      throw new JobException(400, "invalid_pipeline", "no pipeline with id '" + pipelineId + "'");
    }
    if (stride < 1) {
      throw new JobException(400, "invalid_request", "stride must be at least 1, got " + stride);
    }
    if (maxFrames < 0) {
      throw new JobException(400, "invalid_request", "max_frames must not be negative, got " + maxFrames);
    }
  }

  private JobRecord newRecord(String id, JobRequest request, String input, JobRecord.InputKind kind) {
    return new JobRecord(id, seq.incrementAndGet(), request.pipelineId(), input, kind, request.stride(),
        request.maxFrames(), JobState.QUEUED, 0, -1, null, System.currentTimeMillis(), 0, 0);
  }

  private CompletionStage<JobStatus> enqueue(JobRecord job) {
    // Stored before it is queued: a job the client was told about survives a restart.
    return CompletableFuture.runAsync(() -> repository.save(job), writer)
        .exceptionallyCompose(error -> CompletableFuture.failedFuture(new JobException(503, "store_unavailable",
            "the job could not be stored: " + error.getMessage())))
        .thenCompose(stored -> {
          metrics.submitted.inc();
          return AskPattern.<JobsActor.Command, JobStatus>ask(actor, replyTo -> new JobsActor.Submit(job, replyTo),
              ASK_TIMEOUT, system.scheduler());
        });
  }

  /** A job's stream: the engine's run over its input, each result a line of its results file. */
  private RunningJob run(JobRecord job, Consumer<Long> onTotal, EventPublisher events) {
    String input = switch (job.kind()) {
      case PATH -> JobInputs.resolve(job.input(), inputDir).toString();
      case URL -> job.input();
      case UPLOAD -> uploadOf(job.id());
    };
    Path results = resultsFile(job.id());
    try {
      Files.createDirectories(results.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String stream = "job:" + job.id();
    AtomicLong frames = new AtomicLong();
    Consumer<VideoInfo> opened = info -> onTotal.accept(totalOf(info, job));
    Pair<Pair<UniqueKillSwitch, CompletionStage<Done>>, CompletionStage<IOResult>> running = videos
        .resultsOf(input, job.pipelineId(), job.stride(), job.maxFrames(), opened,
            (session, frame, result) -> ResultEvents.publish(events, stream, session.pipelineId(), session.version(),
                result.frameIndex(), frame.timeMillis(), result.result(), frame.frame()::jpeg))
        .viaMat(KillSwitches.single(), Keep.right())
        .watchTermination(Keep.both())
        .map(result -> {
          frames.incrementAndGet();
          metrics.frames.inc();
          return ByteString.fromString(
              AnswerEncoder.encode(new Answer.Result(result.frameIndex(), result.result())) + "\n");
        })
        .toMat(FileIO.toPath(results,
            Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)),
            Keep.both())
        .run(Materializer.matFromSystem(system));
    CompletionStage<Done> ended = running.first().second();
    // Ended once the file is closed (a reader then sees every line), with the stream's own outcome.
    CompletionStage<Done> done = running.second().handle((io, error) -> null).thenCompose(none -> ended);
    return new RunningJob(running.first().first(), frames, done, System.nanoTime());
  }

  private static long totalOf(VideoInfo info, JobRecord job) {
    if (info.lengthFrames() < 0) {
      return job.maxFrames() > 0 && VideoInputs.scheme(job.input()) != null ? job.maxFrames() : -1;
    }
    long total = (info.lengthFrames() + job.stride() - 1) / job.stride();
    return job.maxFrames() > 0 ? Math.min(total, job.maxFrames()) : total;
  }

  private String uploadOf(String id) {
    try (Stream<Path> files = Files.list(jobsDir.resolve(id))) {
      return files.filter(f -> f.getFileName().toString().startsWith("upload")).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("the uploaded file of this job is gone")).toString();
    } catch (IOException e) {
      throw new IllegalArgumentException("the uploaded file of this job is gone");
    }
  }

  Path resultsFile(String id) {
    return jobsDir.resolve(id).resolve(RESULTS_FILE);
  }

  private CompletionStage<Optional<ByteString>> nextChunk(String id, ResultsTail tail) {
    return CompletableFuture.supplyAsync(tail::read, blocking).thenCompose(chunk -> {
      if (!chunk.isEmpty()) {
        return CompletableFuture.completedFuture(Optional.of(chunk));
      }
      return status(id).thenCompose(status -> {
        if (status.isEmpty() || status.get().state().finished()) {
          // Ended: what the last read may have missed, then the end.
          return CompletableFuture.supplyAsync(tail::read, blocking)
              .thenApply(last -> last.isEmpty() ? Optional.<ByteString>empty() : Optional.of(last));
        }
        // Nothing yet: an empty chunk after a pause (dropped below), and the stream asks again.
        Executor later = CompletableFuture.delayedExecutor(FOLLOW_POLL.toMillis(), TimeUnit.MILLISECONDS, blocking);
        return CompletableFuture.supplyAsync(() -> Optional.of(ByteString.emptyByteString()), later);
      });
    });
  }

  private void write(Runnable change) {
    try {
      writer.execute(() -> {
        try {
          change.run();
        } catch (RuntimeException e) {
          log.warn("jobs: a change could not be stored: {}", e.getMessage());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("jobs: stopped, a change was not stored");
    }
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    String ext = dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
    return ext.matches("\\.[a-z0-9]{1,8}") ? ext : "";
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      log.warn("jobs: could not delete {}: {}", dir, e.getMessage());
    }
  }
}
