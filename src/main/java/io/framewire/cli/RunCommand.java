package io.framewire.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.framewire.engine.DagPipelineService;
import io.framewire.engine.Engine;
import io.framewire.engine.Failures;
import io.framewire.engine.FrameFailedException;
import io.framewire.engine.FrameResult;
import io.framewire.pipeline.PipelineLoadException;
import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.video.FfmpegFrames;
import io.framewire.video.VideoFilePipelineService;
import io.framewire.video.VideoInputException;
import io.framewire.video.VideoInfo;
import io.framewire.video.VideoInputs;
import io.framewire.streaming.Answer;
import io.framewire.streaming.AnswerEncoder;
import io.framewire.settings.FramewireSettings;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar framewire.jar run PIPELINE_ID INPUT [--stride N] [--max-frames N] [--output FILE]
 * [--progress]}: runs a pipeline over a video file or stream and prints one JSON line
 * {@code {"frame_index": i, "result": {…}}} per processed frame, in order (the same encoding as the
 * WebSocket answers). Exit 0 on success, 1 when the input or the pipeline fails (one line on stderr,
 * no stack trace), 2 for a usage error. Logs go to stderr, warnings and errors only, so stdout holds
 * nothing but results.
 */
public final class RunCommand {

  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;

  static final String USAGE_TEXT = """
      usage: framewire run PIPELINE_ID INPUT [--stride N] [--max-frames N] [--output FILE] [--progress]

        PIPELINE_ID      a built-in pipeline (echo, inspect, motion, motion_codes, motion_track) or one of PIPELINES_DIR
        INPUT            a video file, or a URL: rtsp://, http://, tcp://, …
        --stride N       keep frames 0, N, 2N, … (default 1: every frame)
        --max-frames N   stop after N processed frames (default: all; give it for a live stream)
        --output FILE    write the JSON lines to FILE instead of stdout
        --progress       print progress (frames, fps, ETA) on stderr even when it is not a terminal

      One JSON line {"frame_index": i, "result": {...}} per processed frame, in order.
      Exit status: 0 done, 1 the input or the pipeline failed, 2 bad arguments.
      """;

  /** Pekko for a command: warnings only, on stderr (logback-cli.xml), and no shutdown hook of its own. */
  private static final Config QUIET = ConfigFactory.parseString("""
      pekko.loglevel = WARNING
      pekko.stdout-loglevel = OFF
      pekko.log-dead-letters = off
      pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
      """);

  /** Parsed arguments. */
  record Options(String pipelineId, String input, int stride, long maxFrames, Optional<Path> output, boolean progress) {}

  private RunCommand() {}

  public static void main(String[] args) {
    quietLogging();
    if (isRun(args)) {
      // FFmpeg's libraries load on their own thread while the configuration, the engine and the actor
      // system start, not after them (a run's start, docs/benchmarks.md §9).
      Thread loading = new Thread(FfmpegFrames::loadLibraries, "framewire-run-ffmpeg-load");
      loading.setDaemon(true);
      loading.start();
    }
    int status = run(args, System.out, System.err, stderrIsTerminal());
    System.exit(status);
  }

  /** Whether the arguments ask for a run (not help, not a usage error). */
  private static boolean isRun(String[] args) {
    try {
      return parse(args) != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Runs the command with its own actor system and the configuration of {@code ConfigFactory.load()}
   * (application.conf, environment, system properties), and returns the exit status.
   *
   * @param terminal whether {@code err} is a terminal (progress is then shown and redrawn in place)
   */
  public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
    Config config;
    try {
      config = ConfigFactory.load();
    } catch (ConfigException e) {
      err.println("framewire run: bad configuration: " + e.getMessage());
      return FAILED;
    }
    return run(args, config, out, err, terminal);
  }

  /** As {@link #run(String[], PrintStream, PrintStream, boolean)} with this configuration. */
  static int run(String[] args, Config config, PrintStream out, PrintStream err, boolean terminal) {
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      err.println("framewire run: " + e.getMessage());
      err.print(USAGE_TEXT);
      return USAGE;
    }
    if (options == null) {
      out.print(USAGE_TEXT);
      return OK;
    }
    // The server's engine (the same tools, models and pipelines), quieter and without hot reload:
    // a run reads its pipeline once.
    Engine engine;
    FramewireSettings settings;
    try {
      settings = FramewireSettings.from(QUIET.withFallback(config));
      // No event store: a one-off run over a file prints its events, it does not keep them (docs/events.md).
      engine = Engine.create(settings.engine().withoutWatching().withoutEvents());
    } catch (PipelineLoadException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
      err.println("framewire run: " + e.getMessage());
      return FAILED;
    }
    if (engine.pipelines().get(options.pipelineId()).isEmpty()) {
      err.println("framewire run: unknown pipeline '" + options.pipelineId() + "' (known: "
          + String.join(", ", engine.pipelines().all().stream().map(p -> p.id()).sorted().toList()) + ")");
      engine.close();
      return FAILED;
    }
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "framewire-run", withoutSerializationAtStart(settings.pekko()));
    try (Writer writer = openOutput(options, out)) {
      DagPipelineService dag = engine.start(Materializer.matFromSystem(system), Engine.blockingExecutor(system));
      VideoFilePipelineService videos = new VideoFilePipelineService(dag, Materializer.createMaterializer(system));
      Progress progress = new Progress(err, terminal, options.progress() || terminal);
      boolean live = VideoInputs.isNetwork(options.input());
      videos.resultsOf(options.input(), options.pipelineId(), options.stride(), options.maxFrames(), progress::opened)
          .runForeach(result -> {
            writer.write(AnswerEncoder.encode(new Answer.Result(result.frameIndex(), result.result())));
            writer.write('\n');
            if (live) {
              writer.flush(); // a live stream has no end: let a reader see each result as it comes
            }
            progress.processed(result, options.stride());
          }, system)
          .toCompletableFuture().get();
      writer.flush();
      progress.done();
      return OK;
    } catch (ExecutionException | CompletionException e) {
      err.println("framewire run: " + describe(e.getCause()));
      return FAILED;
    } catch (IOException | UncheckedIOException e) {
      err.println("framewire run: cannot write output: " + e.getMessage());
      return FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("framewire run: interrupted");
      return FAILED;
    } finally {
      engine.close(); // the run is over: no model run is in flight
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException ignored) {
        // terminating anyway
      }
    }
  }

  /**
   * A run is one local process: nothing it does is serialized, yet Pekko makes its Serialization
   * extension at start, and with it every serializer on the classpath (cluster, sharding, Jackson):
   * about a sixth of a second of a run's start (docs/benchmarks.md §9). Left out of the extensions
   * loaded at start, it is still made on first use if anything asks for it.
   */
  static Config withoutSerializationAtStart(Config pekko) {
    List<String> extensions = new ArrayList<>(pekko.getStringList(LIBRARY_EXTENSIONS));
    extensions.remove(SERIALIZATION_EXTENSION);
    return ConfigFactory.empty().withValue(LIBRARY_EXTENSIONS, ConfigValueFactory.fromIterable(extensions))
        .withFallback(pekko);
  }

  private static final String LIBRARY_EXTENSIONS = "pekko.library-extensions";
  private static final String SERIALIZATION_EXTENSION = "org.apache.pekko.serialization.SerializationExtension$";

  /** One line for people: our own failures carry their message; anything else says what it was, not its class. */
  static String describe(Throwable error) {
    Throwable cause = Failures.unwrap(error);
    if (cause instanceof VideoInputException || cause instanceof FrameFailedException
        || cause instanceof UnknownPipelineException || cause instanceof IllegalArgumentException) {
      return cause.getMessage();
    }
    LoggerFactory.getLogger(RunCommand.class).debug("run failed", cause);
    String message = cause.getMessage();
    return "unexpected failure" + (message == null || message.isBlank() ? "" : ": " + message.strip().lines().findFirst().orElse(""));
  }

  /** @return the options, or null for {@code --help} */
  static Options parse(String[] args) {
    List<String> positional = new ArrayList<>();
    int stride = 1;
    long maxFrames = 0;
    Optional<Path> output = Optional.empty();
    boolean progress = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "-h", "--help" -> {
          return null;
        }
        case "--stride" -> stride = (int) positive(arg, value(args, ++i, arg), Integer.MAX_VALUE);
        case "--max-frames" -> maxFrames = positive(arg, value(args, ++i, arg), Long.MAX_VALUE);
        case "--output", "-o" -> output = Optional.of(Path.of(value(args, ++i, arg)));
        case "--progress" -> progress = true;
        default -> {
          if (arg.startsWith("--") && arg.length() > 2) {
            throw new IllegalArgumentException("unknown option " + arg);
          }
          positional.add(arg);
        }
      }
    }
    if (positional.size() != 2) {
      throw new IllegalArgumentException(positional.size() < 2
          ? "PIPELINE_ID and INPUT are required" : "too many arguments: " + String.join(" ", positional));
    }
    return new Options(positional.get(0), positional.get(1), stride, maxFrames, output, progress);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static long positive(String option, String value, long max) {
    try {
      long n = Long.parseLong(value);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // below
    }
    throw new IllegalArgumentException(option + " must be a positive integer, got '" + value + "'");
  }

  private static Writer openOutput(Options options, PrintStream out) throws IOException {
    OutputStream stream = options.output().isPresent()
        ? Files.newOutputStream(options.output().get())
        : new NonClosing(out);
    return new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
  }

  /** Whether fd 2 is a terminal (Linux: where /proc/self/fd/2 points). */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  /**
   * The command's stdout must hold only results: logs go to stderr, warnings and errors only. Set
   * before the first logger exists, so the server's JSON configuration is never loaded (it costs
   * start-up time); if something logged earlier, the context is reconfigured instead.
   */
  private static void quietLogging() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-cli.xml");
      LoggerFactory.getILoggerFactory(); // now, on this thread: not raced by the actor system's threads
      return;
    }
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.reset();
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      try {
        configurator.doConfigure(RunCommand.class.getResource("/logback-cli.xml"));
      } catch (JoranException e) {
        System.err.println("framewire run: logging not configured: " + e.getMessage());
      }
    }
  }

  /** stdout, flushed but never closed by the writer around it. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /** The stderr progress line: frames, fps, and ETA when the input's length is known. */
  static final class Progress {
    private final PrintStream err;
    private final boolean terminal;
    private final boolean enabled;
    private final long started = System.nanoTime();
    private final AtomicReference<VideoInfo> info = new AtomicReference<>();
    private long frames;
    private long lastIndex;
    private long lastShown;

    Progress(PrintStream err, boolean terminal, boolean enabled) {
      this.err = err;
      this.terminal = terminal;
      this.enabled = enabled;
    }

    void opened(VideoInfo opened) {
      info.set(opened);
    }

    void processed(FrameResult result, int stride) {
      frames++;
      lastIndex = result.frameIndex();
      long now = System.nanoTime();
      if (enabled && now - lastShown >= 500_000_000L) {
        lastShown = now;
        show(now, stride);
      }
    }

    void done() {
      if (enabled) {
        show(System.nanoTime(), 0);
        if (terminal) {
          err.println();
        }
      }
    }

    private void show(long now, int stride) {
      double seconds = (now - started) / 1e9;
      double fps = seconds > 0 ? frames / seconds : 0;
      StringBuilder line = new StringBuilder();
      line.append(String.format(Locale.ROOT, "%d frames, %.1f fps", frames, fps));
      VideoInfo known = info.get();
      if (stride > 0 && known != null && known.lengthFrames() > 0 && fps > 0) {
        long total = (known.lengthFrames() + stride - 1) / stride;
        double sourceFraction = Math.min(1.0, (lastIndex + 1) / (double) known.lengthFrames());
        long eta = Math.round(Math.max(0, total - frames) / fps);
        line.append(String.format(Locale.ROOT, ", %.0f%% of %d, ETA %d s", sourceFraction * 100, total, eta));
      }
      if (terminal) {
        err.print("\r" + line + "   ");
      } else {
        err.println(line);
      }
      err.flush();
    }
  }
}
