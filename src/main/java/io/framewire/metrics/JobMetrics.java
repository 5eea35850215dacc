package io.framewire.metrics;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.Gauge;

/** The jobs' metrics (docs/jobs.md), registered in a server's registry next to {@link StreamMetrics}. */
public final class JobMetrics {

  public final Counter submitted;
  public final Counter finished;
  public final Gauge jobs;
  public final Counter frames;

  /** Registered in {@code registry} (a server's {@link StreamMetrics#registry()}). */
  public JobMetrics(CollectorRegistry registry) {
    submitted = Counter.build().name("jobs_submitted_total").help("Jobs accepted by POST /jobs.").register(registry);
    finished = Counter.build()
        .name("jobs_finished_total").help("Jobs that ended, by state: done, failed, cancelled.")
        .labelNames("state").register(registry);
    jobs = Gauge.build()
        .name("jobs").help("Jobs queued and running now, by state.")
        .labelNames("state").register(registry);
    frames = Counter.build().name("job_frames_total").help("Frames the jobs processed.").register(registry);
  }

  /** Metrics counted nowhere visible (tests). */
  public static JobMetrics unregistered() {
    return new JobMetrics(new CollectorRegistry());
  }
}
