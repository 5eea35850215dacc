package io.framewire.sources;

import io.framewire.metrics.StreamMetrics;
import io.framewire.engine.FrameFailedException;
import io.framewire.engine.PipelineFailure;
import io.framewire.engine.SessionTools;
import io.framewire.video.VideoFilePipelineService;
import io.framewire.video.DecodeOptions;
import io.framewire.video.FfmpegFrames;
import io.framewire.video.VideoFrame;
import io.framewire.video.VideoInfo;
import io.framewire.streaming.Answer;
import io.framewire.streaming.AnswerEncoder;
import io.framewire.streaming.StreamError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of a live source, as a stream: decode → count → latest-frame-wins → run the
 * pipeline → encode → the source's hub (every watcher). Like a client session, the pipeline runs one
 * frame at a time and frames decoded meanwhile wait in a one-frame slot where the newest wins; the
 * superseded ones are answered {@code dropped} and counted. So a camera is never queued behind, and
 * the memory held is one frame.
 *
 * <p>A pipeline failure is answered to the watchers ({@code pipeline_failure}) and ends the connection
 * (the source actor reconnects with backoff). The session's tools are closed once the connection's
 * stream has ended and its last run has settled, never under a running tool.
 */
final class SourceStream {

  private static final Logger log = LoggerFactory.getLogger(SourceStream.class);

  private SourceStream() {}

  /** What a connection's stream tells its source actor. */
  interface Listener {
    void opened(VideoInfo info);

    void pipelineFailed(String detail);

    void ended(Throwable failure); // null: the input ended (or was stopped)
  }

  /** Frames waiting for the pipeline: the newest, and how many it superseded (numbered from {@code firstDropped}). */
  record Pending(VideoFrame latest, long firstDropped, int droppedCount) {
    static Pending of(VideoFrame frame) {
      return new Pending(frame, frame.index(), 0);
    }

    Pending supersededBy(VideoFrame newer) {
      return new Pending(newer, droppedCount == 0 ? latest.index() : firstDropped, droppedCount + 1);
    }
  }

  /** Starts a connection; its kill switch stops decoding (the in-flight run still finishes). */
  static UniqueKillSwitch start(
      SourceSpec spec,
      SourceSettings settings,
      VideoFilePipelineService videos,
      SessionTools session,
      SourceStats stats,
      StreamMetrics metrics,
      Sink<String, NotUsed> hub,
      Listener listener,
      Materializer materializer) {
    DecodeOptions options = new DecodeOptions(1, settings.ioTimeout(), settings.rtspTransport());
    AtomicReference<CompletableFuture<?>> inFlight = new AtomicReference<>(CompletableFuture.completedFuture(null));
    Consumer<VideoInfo> onOpened = info -> {
      stats.video(info);
      listener.opened(info);
    };
    // frame_index counts the source's frames since it was added, across reconnects: a watcher never
    // sees an index go back when the camera comes back.
    long base = stats.decoded.get();
    Pair<UniqueKillSwitch, CompletionStage<Done>> started = FfmpegFrames.create(spec.url(), options, onOpened)
        .viaMat(KillSwitches.single(), Keep.right())
        .map(decoded -> {
          VideoFrame frame = new VideoFrame(base + decoded.index(), decoded.frame(), decoded.timestampMicros());
          stats.decoded.incrementAndGet();
          metrics.sourceFramesDecoded.inc();
          stats.latestFrame.set(frame.frame());
          return frame;
        })
        .conflateWithSeed(Pending::of, Pending::supersededBy)
        .mapAsync(1, pending -> {
          CompletableFuture<List<Answer>> run = run(pending, videos, session, settings, stats, metrics, listener);
          inFlight.set(run);
          return run;
        })
        .mapConcat(answers -> answers)
        .takeWhile(answer -> !(answer instanceof StreamError), true) // an error ends this connection
        .map(AnswerEncoder::encode) // once, for every watcher
        .watchTermination(Keep.both())
        // The failure was seen just above (and goes to the actor); the hub only needs the end.
        .recoverWithRetries(1, Throwable.class, Source::empty)
        .to(hub)
        .run(materializer);
    started.second().whenComplete((done, failure) -> {
      // Close the tools only after the last run settled (a cancel does not wait for it).
      inFlight.get().whenComplete((ignored, alsoIgnored) -> session.close());
      listener.ended(failure);
    });
    return started.first();
  }

  private static CompletableFuture<List<Answer>> run(
      Pending pending,
      VideoFilePipelineService videos,
      SessionTools session,
      SourceSettings settings,
      SourceStats stats,
      StreamMetrics metrics,
      Listener listener) {
    List<Answer> answers = new ArrayList<>(pending.droppedCount() + 1);
    for (int i = 0; i < pending.droppedCount(); i++) {
      answers.add(new Answer.Dropped(pending.firstDropped() + i));
    }
    if (pending.droppedCount() > 0) {
      stats.dropped.addAndGet(pending.droppedCount());
      metrics.sourceFramesDropped.inc(pending.droppedCount());
    }
    VideoFrame frame = pending.latest();
    CompletableFuture<List<Answer>> result;
    try {
      result = videos.runOnFrame(session, frame).toCompletableFuture()
          .orTimeout(settings.frameTimeout().toMillis(), TimeUnit.MILLISECONDS)
          .handle((output, failure) -> {
            if (failure == null) {
              stats.processed.incrementAndGet();
              metrics.sourceFramesProcessed.inc();
              answers.add(new Answer.Result(output.frameIndex(), output.result()));
            } else {
              StreamError error = toError(frame.index(), failure, settings);
              listener.pipelineFailed(error.detail());
              answers.add(error);
            }
            return answers;
          });
    } catch (RuntimeException e) {
      StreamError error = toError(frame.index(), e, settings);
      listener.pipelineFailed(error.detail());
      answers.add(error);
      result = CompletableFuture.completedFuture(answers);
    }
    return result;
  }

  static StreamError toError(long frameIndex, Throwable failure, SourceSettings settings) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof FrameFailedException failed && failed.getCause() instanceof PipelineFailure pipeline) {
      return StreamError.pipelineFailure("frame " + frameIndex + ": " + pipeline.clientDetail());
    }
    if (cause instanceof PipelineFailure pipeline) {
      return StreamError.pipelineFailure("frame " + frameIndex + ": " + pipeline.clientDetail());
    }
    if (cause instanceof TimeoutException) {
      return StreamError.pipelineFailure("frame " + frameIndex + " took longer than "
          + settings.frameTimeout().toMillis() + " ms (STREAM_FRAME_TIMEOUT_MS)");
    }
    log.error("unexpected failure running frame {} of a live source", frameIndex, cause);
    return StreamError.internalError();
  }
}
