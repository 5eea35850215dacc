package io.framewire.mcp;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerHandler;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The MCP SDK's stateless server behind framewire's own HTTP layer: the SDK ships this transport only
 * as a servlet, and framewire has pekko-http, so {@code http.McpRoute} hands each {@code POST /mcp}
 * body here and answers what {@link #post} completes with. One request, one JSON-RPC message, one JSON
 * answer (Streamable HTTP's {@code application/json} form, no SSE stream and no session): the tools
 * answer once and never call the client back, so nothing needs a session. Nothing here blocks: the
 * SDK runs the tools on its own scheduler and the answer comes as a future.
 */
public final class McpHttpTransport implements McpStatelessServerTransport {

  private static final Logger log = LoggerFactory.getLogger(McpHttpTransport.class);

  /** An HTTP answer: the status and the JSON body ({@code null} for 202, which has none). */
  public record Reply(int status, String json) {}

  /** The methods that cannot go without params (an object); lists and ping may leave them out, unknown methods are the SDK's. */
  private static final Set<String> PARAMS_REQUIRED = Set.of(
      McpSchema.METHOD_INITIALIZE, McpSchema.METHOD_TOOLS_CALL, McpSchema.METHOD_RESOURCES_READ,
      McpSchema.METHOD_RESOURCES_SUBSCRIBE, McpSchema.METHOD_RESOURCES_UNSUBSCRIBE, McpSchema.METHOD_PROMPT_GET,
      McpSchema.METHOD_COMPLETION_COMPLETE, McpSchema.METHOD_LOGGING_SET_LEVEL);

  private final McpJsonMapper mapper;
  private volatile McpStatelessServerHandler handler;
  private volatile boolean closing;

  public McpHttpTransport(McpJsonMapper mapper) {
    this.mapper = mapper;
  }

  @Override
  public void setMcpHandler(McpStatelessServerHandler mcpHandler) {
    this.handler = mcpHandler;
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(() -> closing = true);
  }

  /**
   * One POSTed message: a request is answered 200 with its JSON-RPC response; a notification (or a
   * client's response, which this server never asks for) 202 without a body; a body that is no
   * JSON-RPC message 400 with a JSON-RPC error; an unsupported {@code MCP-Protocol-Version} 400.
   *
   * @param protocolVersion the {@code MCP-Protocol-Version} header, if any
   * @param caller what the HTTP layer decided about the caller, for the tools ({@link Caller})
   */
  public CompletionStage<Reply> post(String body, Optional<String> protocolVersion, Caller caller) {
    if (closing) {
      return done(503, McpSchema.ErrorCodes.INTERNAL_ERROR, "the server is shutting down");
    }
    if (protocolVersion.isPresent() && !protocolVersions().contains(protocolVersion.get())) {
      return done(400, McpSchema.ErrorCodes.INVALID_REQUEST, "unsupported MCP-Protocol-Version '"
          + protocolVersion.get() + "'; supported: " + String.join(", ", protocolVersions()));
    }
    McpSchema.JSONRPCMessage message;
    try {
      message = McpSchema.deserializeJsonRpcMessage(mapper, body);
    } catch (Exception e) {
      return done(400, McpSchema.ErrorCodes.PARSE_ERROR, "the body is not a JSON-RPC message");
    }
    McpTransportContext context = McpTransportContext.create(Map.of(Caller.KEY, caller));
    if (message instanceof McpSchema.JSONRPCRequest request) {
      if (PARAMS_REQUIRED.contains(request.method()) && !(request.params() instanceof Map)) {
        // The SDK reads a missing params as null and fails inside its handler (a 500): it is the caller's mistake.
        return CompletableFuture.completedFuture(invalidParams(request));
      }
      Mono<McpSchema.JSONRPCResponse> answer;
      try {
        answer = handler.handleRequest(context, request);
      } catch (RuntimeException e) {
        answer = Mono.error(e); // the SDK reads some params before its Mono: answered like a late failure
      }
      return answer
          .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
          .toFuture()
          .thenApply(response -> new Reply(200, write(response)))
          .exceptionally(failure -> {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
            if (cause instanceof IllegalArgumentException) {
              // The SDK could not read the request's params as that method's (an array, a wrong type).
              return invalidParams(request);
            }
            log.warn("mcp: {} failed: {}", request.method(), failure.toString());
            return new Reply(500, write(McpSchema.JSONRPCResponse.error(request.id(),
                new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR,
                    "the server could not answer " + request.method()))));
          });
    }
    if (message instanceof McpSchema.JSONRPCNotification notification) {
      return handler.handleNotification(context, notification)
          .contextWrite(ctx -> ctx.put(McpTransportContext.KEY, context))
          .toFuture()
          .handle((none, failure) -> new Reply(202, null));
    }
    return CompletableFuture.completedFuture(new Reply(202, null));
  }

  private Reply invalidParams(McpSchema.JSONRPCRequest request) {
    return new Reply(400, write(McpSchema.JSONRPCResponse.error(request.id(),
        new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS,
            "the params of " + request.method() + " are not what it takes"))));
  }

  /** A JSON-RPC error for no request in particular ({@code "id": null}, which the SDK's response record refuses). */
  private CompletionStage<Reply> done(int status, int code, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("jsonrpc", McpSchema.JSONRPC_VERSION);
    body.put("id", null);
    body.put("error", Map.of("code", code, "message", message));
    return CompletableFuture.completedFuture(new Reply(status, write(body)));
  }

  private String write(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("an MCP message is JSON", e);
    }
  }
}
