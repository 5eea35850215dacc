package io.framewire.sinks;

import io.framewire.events.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * An HTTP endpoint through pekko-http's client: one POST per event, the event's JSON as the body,
 * {@code X-Framewire-Event-Id} and, with a secret, {@code X-Framewire-Signature: sha256=<hex
 * HMAC-SHA256 of the body>}. A 2xx answer acknowledges; any other answer, or none within the
 * sink's timeout, fails and is retried.
 */
final class WebhookTarget implements SinkTarget {

  static final String SIGNATURE_HEADER = "X-Framewire-Signature";
  static final String EVENT_ID_HEADER = "X-Framewire-Event-Id";

  private final TargetSpec.Webhook spec;
  private final ActorSystem<?> system;

  WebhookTarget(TargetSpec.Webhook spec, ActorSystem<?> system) {
    this.spec = spec;
    this.system = system;
  }

  @Override
  public void send(StoredEvent event, byte[] json) throws Exception {
    HttpRequest request = HttpRequest.POST(spec.url().toString())
        .withEntity(ContentTypes.APPLICATION_JSON, json)
        .addHeader(RawHeader.create(EVENT_ID_HEADER, Long.toString(event.id())));
    if (spec.secret().isPresent()) {
      request = request.addHeader(RawHeader.create(SIGNATURE_HEADER, "sha256=" + hmacSha256Hex(spec.secret().get(), json)));
    }
    HttpResponse response = Http.get(system).singleRequest(request)
        .thenCompose(r -> r.discardEntityBytes(system).completionStage().thenApply(done -> r))
        .toCompletableFuture()
        .get(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
    if (!response.status().isSuccess()) {
      throw new IllegalStateException("the webhook answered " + response.status().intValue()
          + " " + response.status().reason());
    }
  }

  /** The hex HMAC-SHA256 of {@code body} under {@code secret}: what a receiver recomputes to check the signature. */
  static String hmacSha256Hex(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  @Override
  public void close() {
    // pekko-http's pool is the actor system's; nothing of this sink's own to close
  }
}
