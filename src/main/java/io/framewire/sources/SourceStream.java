package io.framewire.sources;

import io.framewire.metrics.StreamMetrics;
import io.framewire.streaming.Answer;
import io.framewire.streaming.AnswerEncoder;
import io.framewire.streaming.LatestFrameWins;
import io.framewire.streaming.RunPipelineFlow;
import io.framewire.streaming.StreamError;
import io.framewire.video.DecodeOptions;
import io.framewire.video.FfmpegFrames;
import io.framewire.video.VideoFrame;
import io.framewire.video.VideoInfo;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * One connection of a live source, as a stream: decode → count → {@link LatestFrameWins} →
 * {@link RunPipelineFlow} → encode → the source's hub (every watcher). The frame loop is a client
 * session's, stage for stage: the pipeline runs one frame at a time, frames decoded meanwhile wait in
 * a one-frame slot where the newest wins, the superseded ones are answered {@code dropped} and
 * counted. So a camera is never queued behind, and the memory held is one frame.
 *
 * <p>Each frame runs on the pipeline's newest version ({@link LivePipeline}): an edit takes effect on
 * the next frame, the stateful tools' state carried over.
 *
 * <p>A pipeline failure is answered to the watchers ({@code pipeline_failure}) and ends the connection
 * (the source actor reconnects with backoff). When the connection's stream has ended its pipeline runs
 * no more frames ({@link LivePipeline#end}); the source actor owns what happens to the session then: the
 * next connection continues it, or it is closed.
 */
final class SourceStream {

  private SourceStream() {}

  /** What a connection's stream tells its source actor (with the pipeline's changes). */
  interface Listener extends LivePipeline.Listener {
    void opened(VideoInfo info);

    void pipelineFailed(String detail);

    void ended(Throwable failure); // null: the input ended (or was stopped)
  }

  /** Starts a connection; its kill switch stops decoding (the in-flight run still finishes). */
  static UniqueKillSwitch start(
      SourceSpec spec,
      SourceSettings settings,
      LivePipeline pipeline,
      SourceStats stats,
      StreamMetrics metrics,
      Sink<String, NotUsed> hub,
      Listener listener,
      Materializer materializer) {
    DecodeOptions options = new DecodeOptions(1, settings.ioTimeout(), settings.rtspTransport());
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
          VideoFrame frame = new VideoFrame(
              base + decoded.index(), decoded.frame(), decoded.timestampMicros(), decoded.timeMillis());
          stats.decoded.incrementAndGet();
          metrics.sourceFramesDecoded.inc();
          stats.latestFrame.set(frame.frame());
          return frame;
        })
        .via(frameLoop(pipeline, settings.frameTimeout(), new Counting(stats, metrics, listener)))
        .map(AnswerEncoder::encode) // once, for every watcher
        .watchTermination(Keep.both())
        // The failure was seen just above (and goes to the actor); the hub only needs the end.
        .recoverWithRetries(1, Throwable.class, Source::empty)
        .to(hub)
        .run(materializer);
    started.second().whenComplete((done, failure) -> {
      pipeline.end(); // before the actor hears it: a run it has not seen end cannot start any more
      listener.ended(failure);
    });
    return started.first();
  }

  /** The shared frame loop over a camera's decoded frames; its answers end after the first error. */
  static Flow<VideoFrame, Answer, NotUsed> frameLoop(
      LivePipeline pipeline, Duration frameTimeout, RunPipelineFlow.Listener listener) {
    return Flow.<VideoFrame>create()
        .via(LatestFrameWins.flow(VideoFrame::index))
        .via(RunPipelineFlow.flow(VideoFrame::index,
            frame -> pipeline.run(frame).thenApply(done -> new Answer.Result(done.frameIndex(), done.result())),
            frameTimeout, listener));
  }

  /** Counts a source's runs in its stats and metrics; a failure goes to the source actor. */
  record Counting(SourceStats stats, StreamMetrics metrics, Listener listener) implements RunPipelineFlow.Listener {

    @Override
    public void done(long frameIndex, int droppedBefore, long processingNanos) {
      dropped(droppedBefore);
      stats.processed.incrementAndGet();
      metrics.sourceFramesProcessed.inc();
    }

    @Override
    public void dropped(int count) {
      stats.dropped.addAndGet(count);
      metrics.sourceFramesDropped.inc(count);
    }

    @Override
    public void errorSent(StreamError error) {
      listener.pipelineFailed(error.detail());
    }
  }
}
