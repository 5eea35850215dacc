package io.framewire.sources;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.framewire.video.VideoInfo;
import io.framewire.video.VideoInputs;
import io.framewire.api.image.DecodedFrame;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A live source's published view. Its counters are written by the source's stream (like Prometheus
 * counters: no actor message per frame); its state, error, fps and pipeline version by its {@link SourceActor}, the
 * only one that decides them. Anyone may read a {@link #snapshot}.
 */
public final class SourceStats {

  final AtomicLong decoded = new AtomicLong();
  final AtomicLong processed = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong reconnects = new AtomicLong();
  final AtomicInteger watchers = new AtomicInteger();
  /** The newest decoded frame, for the preview; one frame, replaced as frames come. */
  final AtomicReference<DecodedFrame> latestFrame = new AtomicReference<>();
  private volatile SourceState state = SourceState.CONNECTING;
  private volatile String lastError;
  private volatile double fps;
  private volatile VideoInfo video;
  private volatile PipelineRun pipeline = new PipelineRun(0, null);

  /** The pipeline version the connection runs, and why it is not the registered one (null if it is). */
  private record PipelineRun(int version, String problem) {}

  private final SourceSpec spec;

  SourceStats(SourceSpec spec) {
    this.spec = spec;
  }

  public SourceSpec spec() {
    return spec;
  }

  void state(SourceState state) {
    this.state = state;
  }

  public SourceState state() {
    return state;
  }

  void lastError(String error) {
    this.lastError = error;
  }

  void fps(double fps) {
    this.fps = fps;
  }

  void video(VideoInfo info) {
    this.video = info;
  }

  /** Set together, so that a reader never sees one change's version with another's problem. */
  void pipeline(int version, String problem) {
    this.pipeline = new PipelineRun(version, problem);
  }

  /** The version of its pipeline the source runs (0 before its first connection opened it). */
  public int pipelineVersion() {
    return pipeline.version();
  }

  public int watchers() {
    return watchers.get();
  }

  public void watcherJoined() {
    watchers.incrementAndGet();
  }

  void watchers(int delta) {
    watchers.addAndGet(delta);
  }

  public void watcherLeft() {
    watchers.decrementAndGet();
  }

  /** The newest decoded frame, if any frame was decoded yet. */
  public DecodedFrame latestFrame() {
    return latestFrame.get();
  }

  /**
   * What {@code GET /sources/{id}} shows: the URL's credentials masked. On a cluster node {@code node}
   * is the cluster address ({@code host:port}) of the node running the camera and {@code node_since}
   * when it started there (ISO-8601); a single process leaves both out.
   */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Snapshot(
      @JsonProperty("id") String id,
      @JsonProperty("url") String url,
      @JsonProperty("pipeline_id") String pipelineId,
      @JsonProperty("pipeline_version") Integer pipelineVersion,
      @JsonProperty("pipeline_problem") String pipelineProblem,
      @JsonProperty("state") String state,
      @JsonProperty("frames_decoded") long framesDecoded,
      @JsonProperty("frames_processed") long framesProcessed,
      @JsonProperty("frames_dropped") long framesDropped,
      @JsonProperty("reconnects") long reconnects,
      @JsonProperty("fps") double fps,
      @JsonProperty("width") Integer width,
      @JsonProperty("height") Integer height,
      @JsonProperty("watchers") int watchers,
      @JsonProperty("last_error") String lastError,
      @JsonProperty("node") @JsonInclude(JsonInclude.Include.NON_NULL) String node,
      @JsonProperty("node_since") @JsonInclude(JsonInclude.Include.NON_NULL) String nodeSince) {

    /** This snapshot as seen from a cluster: where the camera runs and since when. */
    public Snapshot onNode(String node, String nodeSince) {
      return new Snapshot(id, url, pipelineId, pipelineVersion, pipelineProblem, state, framesDecoded, framesProcessed,
          framesDropped, reconnects, fps, width, height, watchers, lastError, node, nodeSince);
    }

    /** A camera of the cluster whose node did not answer (it is moving, or its node is unreachable). */
    static Snapshot unknown(SourceSpec spec) {
      return new Snapshot(spec.id(), VideoInputs.masked(spec.url()), spec.pipelineId(), null, null, "unknown",
          0, 0, 0, 0, 0, null, null, 0, null, null, null);
    }
  }

  public Snapshot snapshot() {
    VideoInfo info = video;
    PipelineRun run = pipeline;
    return new Snapshot(spec.id(), VideoInputs.masked(spec.url()), spec.pipelineId(),
        run.version() == 0 ? null : run.version(), run.problem(), state.label(),
        decoded.get(), processed.get(), dropped.get(), reconnects.get(), Math.round(fps * 10) / 10.0,
        info == null ? null : info.width(), info == null ? null : info.height(), watchers.get(), lastError, null, null);
  }
}
