package io.framewire.http;

import io.framewire.streaming.AnswerEncoder;
import io.framewire.streaming.StreamSettings;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The stream's access rule as a directive, for every endpoint that reads what the cameras and
 * sessions saw (answers, pictures, events, sinks): {@link StreamAccess}'s allowed origins and {@code
 * STREAM_AUTH_TOKEN} (as {@code ?token=} or {@code Authorization: Bearer}); a refusal is its HTTP
 * status with the {@code {"error","detail"}} body.
 */
public final class StreamGuard extends AllDirectives {

  private final StreamAccess access;

  public StreamGuard(StreamSettings settings) {
    this.access = new StreamAccess(settings);
  }

  /** {@code inner} if the request passes the rule, else the refusal. */
  public Route guard(Supplier<Route> inner) {
    return extractRequest(request -> parameterOptional("token", token -> {
      Optional<StreamAccess.Refusal> refusal = access.check(header(request, "Origin"), header(request, "Host"),
          token, header(request, "Authorization"));
      if (refusal.isPresent()) {
        return complete(HttpResponse.create().withStatus(refusal.get().status()).withEntity(
            HttpEntities.create(ContentTypes.APPLICATION_JSON, AnswerEncoder.encode(refusal.get().error()))));
      }
      return inner.get();
    }));
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }
}
