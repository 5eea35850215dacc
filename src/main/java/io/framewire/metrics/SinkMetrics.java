package io.framewire.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;

/** The sinks' metrics, registered in a server's registry next to {@link StreamMetrics}; label {@code sink} is the sink's id. */
public final class SinkMetrics {

  public final Gauge lag;
  public final Counter deliveries;

  /** Registered in {@code registry} (a server's {@link StreamMetrics#registry()}). */
  public SinkMetrics(CollectorRegistry registry) {
    lag = Gauge.build()
        .name("sink_lag_events").help("Stored events a sink has not delivered yet (the newest id minus its committed position).")
        .labelNames("sink").register(registry);
    deliveries = Counter.build()
        .name("sink_deliveries_total")
        .help("Events a sink handled, by outcome: delivered (acknowledged), failed (attempt to be retried), filtered (left out by its filter).")
        .labelNames("sink", "outcome").register(registry);
  }

  /** Metrics counted nowhere visible (tests, a server without sinks). */
  public static SinkMetrics unregistered() {
    return new SinkMetrics(new CollectorRegistry());
  }

  /** Drops a deleted sink's series. */
  public void forget(String sink) {
    lag.remove(sink);
    for (String outcome : new String[] {"delivered", "failed", "filtered"}) {
      deliveries.remove(sink, outcome);
    }
  }
}
