package io.framewire.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.exporter.common.TextFormat;
import io.prometheus.client.hotspot.DefaultExports;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.function.DoubleConsumer;

/**
 * The streaming metrics, in a registry of their own per server (so that servers started side by side
 * in one JVM, as tests do, don't count into each other), exposed in Prometheus text format.
 */
public final class StreamMetrics {

  private final CollectorRegistry registry = new CollectorRegistry();

  public final Gauge sessionsActive = Gauge.build()
      .name("stream_sessions_active").help("Open streaming sessions.").register(registry);
  public final Counter framesReceived = Counter.build()
      .name("stream_frames_received_total").help("Binary messages received as frames.").register(registry);
  public final Counter framesProcessed = Counter.build()
      .name("stream_frames_processed_total").help("Frames run through their pipeline and answered with a result.")
      .register(registry);
  public final Counter framesDropped = Counter.build()
      .name("stream_frames_dropped_total").help("Frames superseded by a newer frame and answered dropped.")
      .register(registry);
  public final Counter slowdownSignals = Counter.build()
      .name("stream_slowdown_signals_total").help("slow_down warnings sent.").register(registry);
  public final Counter errors = Counter.build()
      .name("stream_errors_total").help("Sessions ended with an error, by error code.").labelNames("error")
      .register(registry);
  public final Histogram processingSeconds = Histogram.build()
      .name("stream_frame_processing_seconds").help("Server-side pipeline time per processed frame.")
      .buckets(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
      .register(registry);

  public final Histogram nodeSeconds = Histogram.build()
      .name("node_seconds").help("Time one pipeline node took on one frame (the tool's own time), by pipeline and node.")
      .labelNames("pipeline", "node")
      .buckets(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
      .register(registry);
  public final Gauge connectionsOpen = Gauge.build()
      .name("connections_open").help("Open TCP connections on the public port (HTTP and WebSocket).")
      .register(registry);
  public final Counter connectionsRefused = Counter.build()
      .name("connections_refused_total")
      .help("Connections refused or closed early, by reason: per_address_limit, server_limit, header_timeout.")
      .labelNames("reason").register(registry);
  public final Gauge sourcesActive = Gauge.build()
      .name("sources_active").help("Live sources (cameras) configured and not stopped.").register(registry);
  public final Counter sourceFramesDecoded = Counter.build()
      .name("source_frames_decoded_total").help("Frames decoded from live sources.").register(registry);
  public final Counter sourceFramesProcessed = Counter.build()
      .name("source_frames_processed_total").help("Frames of live sources run through their pipeline.")
      .register(registry);
  public final Counter sourceFramesDropped = Counter.build()
      .name("source_frames_dropped_total")
      .help("Frames of live sources superseded by a newer frame while the pipeline was busy.").register(registry);
  public final Counter sourceReconnects = Counter.build()
      .name("source_reconnects_total").help("Reconnect attempts of lost live sources.").register(registry);

  public StreamMetrics(boolean withJvmCollectors) {
    if (withJvmCollectors) {
      DefaultExports.register(registry);
    }
  }

  /**
   * Observes one node's time in {@code node_seconds}: the histogram child, looked up once, so that
   * the caller (the engine, per pipeline version) only observes per frame.
   */
  public DoubleConsumer nodeSecondsOf(String pipelineId, String nodeId) {
    return nodeSeconds.labels(pipelineId, nodeId)::observe;
  }

  /** Drops one node's {@code node_seconds} series (its pipeline was deleted or replaced). */
  public void forgetNode(String pipelineId, String nodeId) {
    nodeSeconds.remove(pipelineId, nodeId);
  }

  /** Everything in this registry in the Prometheus text exposition format 0.0.4. */
  public String scrape() {
    StringWriter out = new StringWriter();
    try {
      TextFormat.write004(out, registry.metricFamilySamples());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // StringWriter does not throw
    }
    return out.toString();
  }

  public CollectorRegistry registry() {
    return registry;
  }
}
