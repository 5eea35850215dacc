package io.framewire.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;

/**
 * The model inference metrics, registered in a server's registry next to {@link StreamMetrics}. All
 * carry the label {@code model} (the model's file name in MODELS_DIR).
 */
public final class InferenceMetrics {

  public final Histogram batchSize;
  public final Histogram seconds;
  public final Gauge queueDepth;
  public final Counter busy;

  /** Registered in {@code registry} (a server's {@link StreamMetrics#registry()}). */
  public InferenceMetrics(CollectorRegistry registry) {
    batchSize = Histogram.build()
        .name("inference_batch_size").help("Requests per model run (1 = not batched).")
        .labelNames("model")
        .buckets(1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64)
        .register(registry);
    seconds = Histogram.build()
        .name("inference_seconds").help("Time of one model run (OrtSession.run on a whole batch).")
        .labelNames("model")
        .buckets(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
        .register(registry);
    queueDepth = Gauge.build()
        .name("inference_queue_depth").help("Requests waiting for a model run (queued or being batched).")
        .labelNames("model")
        .register(registry);
    busy = Counter.build()
        .name("inference_busy_frames_total").help("Frames refused because the model's queue was full (answered dropped).")
        .labelNames("model")
        .register(registry);
  }

  /** Metrics counted nowhere visible: before a server attaches its registry. */
  public static InferenceMetrics unregistered() {
    return new InferenceMetrics(new CollectorRegistry());
  }
}
