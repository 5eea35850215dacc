package io.framewire.streaming;

import io.framewire.engine.DagPipelineService;
import io.framewire.engine.FramePayloads;
import io.framewire.engine.SessionTools;
import io.framewire.pipeline.UnknownPipelineException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The {@link SessionPipelines} of a server: the engine's pipelines, each session on tools of its own.
 * A run's failure passes as the engine reports it ({@link RunPipelineFlow#toStreamError} maps it); a
 * pipeline deleted before its session opened is refused {@code invalid_pipeline}.
 */
public final class PipelineSessions implements SessionPipelines {

  private final DagPipelineService pipelines;

  public PipelineSessions(DagPipelineService pipelines) {
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
  private record Session(DagPipelineService pipelines, SessionTools tools) implements SessionPipeline {

    @Override
    public CompletionStage<Map<String, Object>> run(long frameIndex, byte[] frameBytes) {
      return run(frameIndex, frameBytes, System.currentTimeMillis());
    }

    @Override
    public CompletionStage<Map<String, Object>> run(long frameIndex, byte[] frameBytes, long receivedMillis) {
      return pipelines.runPipeline(tools, FramePayloads.jpeg(frameIndex, frameBytes, receivedMillis));
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
}
