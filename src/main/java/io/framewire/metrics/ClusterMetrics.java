package io.framewire.metrics;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.GaugeMetricFamily;
import io.prometheus.client.Histogram;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The cluster metrics (docs/scaling.md), registered next to the stream metrics of the same server,
 * only when the cluster is configured.
 */
public final class ClusterMetrics {

  /** Outcomes of a front's remote node call: exactly one per call. */
  public static final String OK = "ok";
  public static final String TOOL_ERROR = "tool_error";
  public static final String NO_WORKER = "no_worker";
  public static final String TIMEOUT = "timeout";
  public static final String SATURATED = "saturated";

  public final Counter remoteCalls;
  public final Counter remoteRetries;
  public final Histogram remoteSeconds;
  public final Counter workerRuns;
  public final Histogram workerSeconds;

  /** @param workersReachable read at each scrape: the workers this node can use now */
  public ClusterMetrics(CollectorRegistry registry, IntSupplier workersReachable) {
    new Collector() {
      @Override
      public List<MetricFamilySamples> collect() {
        return List.of(new GaugeMetricFamily("cluster_workers_reachable",
            "Cluster workers this node can send nodes to now (reachable members with the worker role).",
            workersReachable.getAsInt()));
      }
    }.register(registry);
    remoteCalls = Counter.build()
        .name("remote_node_calls_total")
        .help("Node calls a front sent to workers, by outcome (ok, tool_error, no_worker, timeout, saturated).")
        .labelNames("outcome").register(registry);
    remoteRetries = Counter.build()
        .name("remote_node_retries_total")
        .help("Node calls re-sent to another worker because their worker left or became unreachable.")
        .register(registry);
    remoteSeconds = Histogram.build()
        .name("remote_node_seconds")
        .help("Time from sending a node to a worker to its answer, as the front sees it (answered calls).")
        .buckets(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .register(registry);
    workerRuns = Counter.build()
        .name("worker_node_runs_total")
        .help("Nodes this worker ran for fronts, by outcome (ok, tool_error).")
        .labelNames("outcome").register(registry);
    workerSeconds = Histogram.build()
        .name("worker_node_seconds")
        .help("Time this worker spent on one node for a front, tool creation included.")
        .buckets(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .register(registry);
  }
}
