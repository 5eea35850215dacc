package io.framewire.server;

import io.framewire.engine.DagPipelineService;
import io.framewire.engine.PipelineFailure;
import io.framewire.engine.SessionTools;
import io.framewire.pipeline.UnknownPipelineException;
import io.framewire.video.VideoFilePipelineService;
import io.framewire.streaming.SessionPipeline;
import io.framewire.streaming.SessionPipelines;
import io.framewire.streaming.StreamError;
import io.framewire.streaming.StreamFailure;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The streaming side's {@link SessionPipelines}, implemented with the pipeline package. It lives in
 * the composition root so that the dependencies stay one-way: {@code streaming} owns the interface
 * and names no pipeline class, {@code pipeline} knows nothing of streaming, and only this adapter
 * sees both. It also translates the pipeline's failures into the streaming side's words: a tool's
 * {@link PipelineFailure} becomes a {@link StreamFailure} with {@code pipeline_failure} and the
 * client-safe detail, a pipeline deleted before the session opened becomes {@code invalid_pipeline}.
 */
public final class PipelineSessions implements SessionPipelines {

  private final VideoFilePipelineService pipelines;

  public PipelineSessions(VideoFilePipelineService pipelines) {
    this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
  }

  @Override
  public boolean exists(String pipelineId) {
    return pipelines.isValidPipeline(pipelineId);
  }

  @Override
  public SessionPipeline open(String pipelineId, boolean timings) {
    try {
      return new Session(pipelines, pipelines.openSession(pipelineId, timings));
    } catch (UnknownPipelineException e) {
      throw new StreamFailure(StreamError.unknownPipeline(pipelineId), e); // deleted since admission
    }
  }

  /** One session's tools; closing it closes them once the run in flight (if any) has settled. */
  private record Session(VideoFilePipelineService pipelines, SessionTools tools) implements SessionPipeline {

    @Override
    public CompletionStage<Map<String, Object>> run(long frameIndex, byte[] frameBytes) {
      return pipelines.runOnFrame(tools, frameIndex, frameBytes).handle((result, failure) -> {
        if (failure == null) {
          return result;
        }
        throw translate(failure);
      });
    }

    @Override
    public Map<String, Double> takeTimings(Map<String, Object> result) {
      return DagPipelineService.timingsOf(result);
    }

    @Override
    public void close() {
      tools.close();
    }
  }

  /** A tool's failure, in the client's words; anything else passes unchanged (an internal error). */
  static CompletionException translate(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (cause instanceof PipelineFailure pipelineFailure) {
      return new CompletionException(
          new StreamFailure(StreamError.pipelineFailure(pipelineFailure.clientDetail()), pipelineFailure));
    }
    return failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure);
  }
}
