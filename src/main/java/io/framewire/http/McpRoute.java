package io.framewire.http;

import io.framewire.mcp.Caller;
import io.framewire.mcp.FramewireMcp;
import io.framewire.mcp.McpHttpTransport;
import io.framewire.mcp.OriginRule;
import io.framewire.streaming.AnswerEncoder;
import io.framewire.streaming.StreamSettings;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;

/**
 * {@code /mcp}: the MCP endpoint (docs/mcp.md), MCP's Streamable HTTP transport in its stateless,
 * JSON-answer form. {@code POST} carries one JSON-RPC message and is answered by {@link
 * McpHttpTransport}; {@code GET} (the optional server-to-client SSE stream) and {@code DELETE} (ending a
 * session) are 405, as the specification allows a server without them. The request must pass MCP's
 * origin rule ({@link OriginRule}: local pages or {@code MCP_ALLOWED_ORIGINS}) and carry the stream's
 * token when {@code STREAM_AUTH_TOKEN} is set ({@code Authorization: Bearer} or {@code ?token=}): the
 * tools show what the cameras saw, like {@code /events}. The tools that change the server follow {@link
 * AdminAccess} besides, decided here and handed to them as the {@link Caller}. The body may hold an
 * image of up to {@code MCP_MAX_IMAGE_MB} in base64.
 */
public final class McpRoute extends AllDirectives {

  /** How long a request body may take to arrive. */
  private static final long BODY_TIMEOUT_MS = 30_000;

  private final FramewireMcp mcp;
  private final StreamAccess access;
  private final OriginRule origins;
  private final AdminAccess admin;

  public McpRoute(FramewireMcp mcp, StreamSettings streamSettings, AdminAccess admin) {
    this.mcp = mcp;
    this.admin = admin;
    this.access = new StreamAccess(streamSettings);
    this.origins = new OriginRule(mcp.settings().allowedOrigins());
  }

  /** {@code /mcp} when MCP is off: 404 saying so. */
  public static Route disabled() {
    AllDirectives d = new AllDirectives() {};
    return d.path("mcp", () -> d.complete(json(404, "mcp_disabled",
        "this server does not serve MCP (framewire.mcp.enabled = false, MCP_ENABLED)")));
  }

  public Route route() {
    return path("mcp", () -> guard(() -> extractRequest(request -> request.method().equals(HttpMethods.POST)
        ? declaredTooLarge(request) ? complete(tooLarge())
        : extractMaterializer(materializer -> onComplete(
            // Read here rather than by entity(): its refusal of a large body is a rejection, which other
            // routes' method rejections would outrank into a 405. withSizeLimit replaces pekko-http's
            // max-content-length (8 MB), which toStrict's own bound does not lift.
            request.entity().withSizeLimit(mcp.settings().maxRequestBytes())
                .toStrict(BODY_TIMEOUT_MS, mcp.settings().maxRequestBytes(), materializer),
            strict -> strict.isFailure()
                ? complete(sizeExceeded(strict.failed().get()) ? tooLarge()
                    : json(400, "invalid_request", "the request body did not arrive whole"))
                : onSuccess(mcp.transport().post(strict.get().getData().utf8String(),
                    header(request, "MCP-Protocol-Version"), caller(request)), this::reply)))
        : complete(json(405, "method_not_allowed",
            "/mcp takes POST only: this server answers each message with JSON (no SSE stream, no session)")
            .addHeader(Allow.create(HttpMethods.POST))))));
  }

  /** The admin rule's verdict on this request, for the tools that change the server. */
  private Caller caller(HttpRequest request) {
    return admin.check(request).map(refusal -> Caller.reader(refusal.detail())).orElseGet(Caller::admin);
  }

  /** A body whose Content-Length is over the limit is refused before it is read. */
  private boolean declaredTooLarge(HttpRequest request) {
    return request.entity().getContentLengthOption().orElse(0L) > mcp.settings().maxRequestBytes();
  }

  private HttpResponse tooLarge() {
    return json(413, "too_large", "the request body is larger than /mcp reads ("
        + mcp.settings().maxRequestBytes() / 1024 + " KB: MCP_MAX_IMAGE_MB as base64, plus 64 KB)");
  }

  /** A chunked body that grew past the limit while read. */
  private static boolean sizeExceeded(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof EntityStreamSizeException) {
        return true;
      }
    }
    return false;
  }

  private Route reply(McpHttpTransport.Reply reply) {
    HttpResponse response = HttpResponse.create().withStatus(reply.status());
    return complete(reply.json() == null ? response
        : response.withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, reply.json())));
  }

  /** MCP's origin rule, then the stream's token. */
  private Route guard(Supplier<Route> inner) {
    return extractRequest(request -> parameterOptional("token", token -> {
      Optional<String> refusedOrigin = origins.refusal(header(request, "Origin"));
      if (refusedOrigin.isPresent()) {
        return complete(json(403, "forbidden_origin", refusedOrigin.get()));
      }
      Optional<StreamAccess.Refusal> refusal = access.checkToken(token, header(request, "Authorization"));
      if (refusal.isPresent()) {
        return complete(HttpResponse.create().withStatus(refusal.get().status()).withEntity(
            HttpEntities.create(ContentTypes.APPLICATION_JSON, AnswerEncoder.encode(refusal.get().error()))));
      }
      return inner.get();
    }));
  }

  private static HttpResponse json(int status, String error, String detail) {
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
        "{\"error\":" + quote(error) + ",\"detail\":" + quote(detail) + "}"));
  }

  private static String quote(String text) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(text).toString();
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }
}
