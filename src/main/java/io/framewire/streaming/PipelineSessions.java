package io.framewire.streaming;

import io.framewire.engine.DagPipelineService;
import io.framewire.engine.FramePayloads;
import io.framewire.engine.SessionTools;
import io.framewire.events.EventPublisher;
import io.framewire.pipeline.UnknownPipelineException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * The {@link SessionPipelines} of a server: the engine's pipelines, each session on tools of its own.
 * A run's failure passes as the engine reports it ({@link RunPipelineFlow#toStreamError} maps it); a
 * pipeline deleted before its session opened is refused {@code invalid_pipeline}. A run whose result
 * has {@code events} hands them to the {@link EventPublisher} as {@code session:<sessionId>} (the
 * answer does not wait for that).
 */
public final class PipelineSessions implements SessionPipelines {

  private final DagPipelineService pipelines;
  private final EventPublisher events;

  /** Sessions whose events go nowhere. */
  public PipelineSessions(DagPipelineService pipelines) {
    this(pipelines, EventPublisher.NONE);
  }

  public PipelineSessions(DagPipelineService pipelines, EventPublisher events) {
    this.pipelines = Objects.requireNonNull(pipelines, "pipelines");
    this.events = Objects.requireNonNull(events, "events");
  }

  @Override
  public boolean exists(String pipelineId) {
    return pipelines.isValidPipeline(pipelineId);
  }

  @Override
  public SessionPipeline open(String pipelineId, boolean timings) {
    return open("unnamed", pipelineId, timings);
  }

  @Override
  public SessionPipeline open(String sessionId, String pipelineId, boolean timings) {
    try {
      return new Session(pipelines, pipelines.openSession(pipelineId, timings), events, "session:" + sessionId);
    } catch (UnknownPipelineException e) {
      throw new StreamFailure(StreamError.unknownPipeline(pipelineId), e); // deleted since admission
    }
  }

  /** One session's tools; closing it closes them once the run in flight (if any) has settled. */
  private record Session(DagPipelineService pipelines, SessionTools tools, EventPublisher events, String stream)
      implements SessionPipeline {

    @Override
    public CompletionStage<Map<String, Object>> run(long frameIndex, byte[] frameBytes) {
      return run(frameIndex, frameBytes, System.currentTimeMillis());
    }

    @Override
    public CompletionStage<Map<String, Object>> run(long frameIndex, byte[] frameBytes, long receivedMillis) {
      CompletionStage<Map<String, Object>> result =
          pipelines.runPipeline(tools, FramePayloads.jpeg(frameIndex, frameBytes, receivedMillis));
      if (events == EventPublisher.NONE) {
        return result;
      }
      // Published as the result passes (the publisher only queues); the answer goes on at once. The
      // received bytes are the snapshot's picture: the publisher keeps them only when one is due.
      return result.thenApply(output -> {
        ResultEvents.publish(events, stream, tools.pipelineId(), tools.version(), frameIndex, receivedMillis, output,
            () -> frameBytes);
        return output;
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
}
