package io.framewire.streaming;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.stream.javadsl.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 5, run: answers a batch's superseded frames {@code dropped}, runs the pipeline on its latest
 * frame (one at a time: while it runs, {@link LatestFrameWins} holds what arrives) and answers the
 * result. Processing time is measured from just before the pipeline call to just after its result
 * and told to the session actor, once per run. A failure or a frame over the timeout is answered
 * {@code pipeline_failure}, anything unexpected {@code internal_error}; the answers end after an error.
 */
public final class RunPipelineFlow {

  private static final Logger log = LoggerFactory.getLogger(RunPipelineFlow.class);

  private RunPipelineFlow() {}

  public static Flow<LatestFrameWins.Batch, Answer, NotUsed> flow(
      FrameRunner runner, Duration frameTimeout, ActorRef<SessionActor.Command> session) {
    return Flow.<LatestFrameWins.Batch>create()
        .mapAsync(1, batch -> run(batch, runner, frameTimeout, session))
        .mapConcat(answers -> answers)
        .via(StreamError.upToFirstError())
        .named("run-pipeline");
  }

  static CompletionStage<List<Answer>> run(
      LatestFrameWins.Batch batch, FrameRunner runner, Duration frameTimeout, ActorRef<SessionActor.Command> session) {
    List<Answer> answers = new ArrayList<>(batch.droppedCount() + 1);
    for (int i = 0; i < batch.droppedCount(); i++) {
      answers.add(new Answer.Dropped(batch.firstDropped() + i));
    }
    if (batch instanceof LatestFrameWins.End end) {
      if (end.droppedCount() > 0) {
        session.tell(new SessionActor.FramesDropped(end.droppedCount()));
      }
      session.tell(new SessionActor.ErrorSent(end.error()));
      answers.add(end.error());
      return CompletableFuture.completedFuture(answers);
    }
    Frame frame = ((LatestFrameWins.Run) batch).latest();
    long start = System.nanoTime();
    CompletableFuture<Map<String, Object>> result;
    try {
      result = runner.run(frame.index(), frame.bytes()).toCompletableFuture();
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    return result
        .orTimeout(frameTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .handle((output, failure) -> {
          if (failure == null) {
            long elapsed = System.nanoTime() - start;
            session.tell(new SessionActor.FramesDone(frame.index(), batch.droppedCount(), elapsed,
                System.currentTimeMillis()));
            Map<String, Double> timings = output == null ? null : runner.takeTimings(output);
            answers.add(new Answer.Result(frame.index(), output, timings));
          } else {
            if (batch.droppedCount() > 0) {
              session.tell(new SessionActor.FramesDropped(batch.droppedCount()));
            }
            StreamError error = toStreamError(frame.index(), failure, frameTimeout);
            session.tell(new SessionActor.ErrorSent(error));
            answers.add(error);
          }
          return answers;
        });
  }

  static StreamError toStreamError(long frameIndex, Throwable failure, Duration frameTimeout) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof StreamFailure known) {
      // A tool failed (the runner put the client's words in it). The session logs the
      // stream_pipeline_error event; the tool's own stack trace is for debugging.
      log.debug("frame {}: {}", frameIndex, known.getMessage(), known.getCause());
      return known.error();
    }
    if (cause instanceof TimeoutException) {
      return StreamError.pipelineFailure(
          "frame " + frameIndex + " took longer than " + frameTimeout.toMillis() + " ms (STREAM_FRAME_TIMEOUT_MS)");
    }
    log.error("unexpected failure running frame {}", frameIndex, cause);
    return StreamError.internalError();
  }
}
