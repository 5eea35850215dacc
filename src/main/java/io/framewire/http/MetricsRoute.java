package io.framewire.http;

import io.framewire.metrics.StreamMetrics;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /metrics}: Prometheus text exposition of the stream metrics and JVM collectors. */
public final class MetricsRoute extends AllDirectives {

  private final StreamMetrics metrics;

  public MetricsRoute(StreamMetrics metrics) {
    this.metrics = metrics;
  }

  public Route route() {
    return path("metrics", () -> get(() -> complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, metrics.scrape()))));
  }
}
