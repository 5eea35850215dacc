package io.framewire.streaming;

import io.framewire.engine.Failures;
import io.framewire.engine.FrameFailedException;
import io.framewire.engine.PipelineFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.javadsl.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 5, run: answers a batch's superseded frames {@code dropped}, runs the pipeline on its latest
 * frame (one at a time: while it runs, {@link LatestFrameWins} holds what arrives) and answers the
 * result. Processing time is measured from just before the pipeline call to just after its result
 * and told to the loop's {@link Listener}, once per run. A frame a busy model refused (its queue was
 * full) is answered {@code dropped} and the loop goes on; any other failure is answered with the
 * error {@link #toStreamError} maps it to, and the answers end after an error.
 *
 * <p>The same stage runs a WebSocket session's frames and a live source's decoded frames: only the
 * frame type, how a frame is run, and who listens differ.
 */
public final class RunPipelineFlow {

  private static final Logger log = LoggerFactory.getLogger(RunPipelineFlow.class);

  private RunPipelineFlow() {}

  /** What the stage tells the loop's owner, once per batch (never per frame of it). */
  public interface Listener {

    /** {@code frameIndex} was answered with its result after {@code droppedBefore} superseded frames. */
    void done(long frameIndex, int droppedBefore, long processingNanos);

    /** {@code count} superseded frames were answered {@code dropped} with no result after them (an error follows). */
    void dropped(int count);

    /**
     * {@code count} frames were answered {@code dropped}, the last of them because a model was too
     * busy to take it ({@link Failures#busy}): they count as drops, and the loop goes on.
     */
    default void shed(int count) {
      dropped(count);
    }

    /** The loop answered {@code error} and ends. */
    void errorSent(StreamError error);
  }

  /** A session's: runs its frames with {@code runner}; what happened goes to its session actor. */
  public static Flow<LatestFrameWins.Batch<Frame>, Answer, NotUsed> flow(
      FrameRunner runner, Duration frameTimeout, ActorRef<SessionActor.Command> session) {
    return flow(Frame::index, frame -> runner.run(frame.index(), frame.bytes(), frame.receivedMillis()).thenApply(output ->
            new Answer.Result(frame.index(), output, output == null ? null : runner.takeTimings(output))),
        frameTimeout, sessionListener(session));
  }

  /**
   * @param run the pipeline's answer for one frame; it may fail, or throw, with anything
   *     {@link #toStreamError} maps
   * @param frameTimeout a run not done by then is answered {@code pipeline_failure}
   */
  public static <F> Flow<LatestFrameWins.Batch<F>, Answer, NotUsed> flow(
      ToLongFunction<F> indexOf, Function<F, CompletionStage<Answer.Result>> run, Duration frameTimeout, Listener listener) {
    return Flow.<LatestFrameWins.Batch<F>>create()
        .mapAsync(1, batch -> run(batch, indexOf, run, frameTimeout, listener))
        .mapConcat(answers -> answers)
        .via(StreamError.upToFirstError())
        .named("run-pipeline");
  }

  private static <F> CompletionStage<List<Answer>> run(
      LatestFrameWins.Batch<F> batch,
      ToLongFunction<F> indexOf,
      Function<F, CompletionStage<Answer.Result>> run,
      Duration frameTimeout,
      Listener listener) {
    List<Answer> answers = new ArrayList<>(batch.droppedCount() + 1);
    for (int i = 0; i < batch.droppedCount(); i++) {
      answers.add(new Answer.Dropped(batch.firstDropped() + i));
    }
    if (batch instanceof LatestFrameWins.End<F> end) {
      if (end.droppedCount() > 0) {
        listener.dropped(end.droppedCount());
      }
      listener.errorSent(end.error());
      answers.add(end.error());
      return CompletableFuture.completedFuture(answers);
    }
    F frame = ((LatestFrameWins.Run<F>) batch).latest();
    long frameIndex = indexOf.applyAsLong(frame);
    long start = System.nanoTime();
    CompletableFuture<Answer.Result> result;
    try {
      result = run.apply(frame).toCompletableFuture();
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result
        .orTimeout(frameTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((answer, failure) -> {
          if (failure == null) {
            listener.done(frameIndex, batch.droppedCount(), System.nanoTime() - start);
            answers.add(answer);
          } else if (Failures.busy(failure)) {
            // Overload, not failure: the frame is dropped like a superseded one, the loop goes on.
            listener.shed(batch.droppedCount() + 1);
            answers.add(new Answer.Dropped(frameIndex));
          } else {
            if (batch.droppedCount() > 0) {
              listener.dropped(batch.droppedCount());
            }
            StreamError error = toStreamError(frameIndex, failure, frameTimeout);
            listener.errorSent(error);
            answers.add(error);
          }
          return answers;
        });
  }

  /**
   * The one mapping of a failed run to its answer. A tool failed ({@link PipelineFailure}):
   * {@code pipeline_failure} with the client-safe detail naming the node, after {@code frame N: }
   * when the run named its frame ({@link FrameFailedException}, a video run's failure). A failure
   * whose answer is known ({@link StreamFailure}): that answer. Over the frame timeout:
   * {@code pipeline_failure}. Anything else is a bug: {@code internal_error}, details to the log.
   */
  static StreamError toStreamError(long frameIndex, Throwable failure, Duration frameTimeout) {
    Throwable cause = Failures.unwrap(failure);
    if (cause instanceof StreamFailure known) {
      // The session logs the stream_pipeline_error event; the cause's stack trace is for debugging.
      log.debug("frame {}: {}", frameIndex, known.getMessage(), known.getCause());
      return known.error();
    }
    if (cause instanceof FrameFailedException framed && framed.getCause() instanceof PipelineFailure tool) {
      log.debug("frame {}: {}", frameIndex, tool.getMessage(), tool.getCause());
      return StreamError.pipelineFailure("frame " + framed.frameIndex() + ": " + tool.clientDetail());
    }
    if (cause instanceof PipelineFailure tool) {
      log.debug("frame {}: {}", frameIndex, tool.getMessage(), tool.getCause());
      return StreamError.pipelineFailure(tool.clientDetail());
    }
    if (cause instanceof TimeoutException) {
      return StreamError.pipelineFailure(
          "frame " + frameIndex + " took longer than " + frameTimeout.toMillis() + " ms (STREAM_FRAME_TIMEOUT_MS)");
    }
    log.error("unexpected failure running frame {}", frameIndex, cause);
    return StreamError.internalError();
  }

  /** A session's listener: its actor counts, throttles and logs. */
  private static Listener sessionListener(ActorRef<SessionActor.Command> session) {
    return new Listener() {
      @Override
      public void done(long frameIndex, int droppedBefore, long processingNanos) {
        session.tell(new SessionActor.FramesDone(frameIndex, droppedBefore, processingNanos, System.currentTimeMillis()));
      }

      @Override
      public void dropped(int count) {
        session.tell(new SessionActor.FramesDropped(count));
      }

      @Override
      public void shed(int count) {
        session.tell(new SessionActor.FramesShed(count));
      }

      @Override
      public void errorSent(StreamError error) {
        session.tell(new SessionActor.ErrorSent(error));
      }
    };
  }
}
