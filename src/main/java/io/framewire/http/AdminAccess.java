package io.framewire.http;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Who may change the server (create, replace or delete pipelines and sources, …): one rule for every
 * mutating endpoint. With {@code ADMIN_TOKEN} set, the request needs {@code Authorization: Bearer
 * <token>} (compared in constant time); without it, only clients connecting from a loopback address
 * may mutate, so a server started on a laptop is not reconfigurable from the LAN by default.
 *
 * <p>The client address is the TCP peer (pekko-http's {@code remote-address-attribute}), never a
 * forwarding header, which any client could forge.
 */
public final class AdminAccess extends AllDirectives {

  /** A refused request: the HTTP status and the {@code {"error","detail"}} body. */
  public record Refusal(StatusCode status, String error, String detail) {
    public Map<String, String> body() {
      return Map.of("error", error, "detail", detail);
    }
  }

  private final Optional<byte[]> tokenDigest;

  /** @param adminToken the configured token; blank means "loopback clients only" */
  public AdminAccess(String adminToken) {
    this.tokenDigest = adminToken == null || adminToken.isBlank()
        ? Optional.empty()
        : Optional.of(digest(adminToken));
  }

  /** Whether mutations are guarded by a token (else by the loopback rule). */
  public boolean tokenRequired() {
    return tokenDigest.isPresent();
  }

  /** Why {@code request} may not mutate, or empty if it may. */
  public Optional<Refusal> check(HttpRequest request) {
    if (tokenDigest.isPresent()) {
      Optional<String> presented = request.getHeader(Authorization.class)
          .map(Authorization::value)
          .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
          .map(value -> value.substring(7).trim());
      if (presented.isEmpty()) {
        return Optional.of(new Refusal(StatusCodes.UNAUTHORIZED, "unauthorized",
            "this endpoint needs an 'Authorization: Bearer …' header with the admin token (ADMIN_TOKEN)"));
      }
      if (!MessageDigest.isEqual(tokenDigest.get(), digest(presented.get()))) {
        return Optional.of(new Refusal(StatusCodes.UNAUTHORIZED, "unauthorized", "the admin token is not valid"));
      }
      return Optional.empty();
    }
    boolean loopback = request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(address -> address.getAddress())
        .map(InetAddress::isLoopbackAddress)
        .orElse(false);
    if (!loopback) {
      return Optional.of(new Refusal(StatusCodes.FORBIDDEN, "forbidden",
          "only clients on this machine may change the server; set ADMIN_TOKEN to allow others with a token"));
    }
    return Optional.empty();
  }

  /** Runs {@code inner} if the request may mutate, else answers the refusal as JSON. */
  public Route guard(Supplier<Route> inner) {
    return extractRequest(request -> {
      Optional<Refusal> refusal = check(request);
      if (refusal.isPresent()) {
        return complete(refusal.get().status(), refusal.get().body(), Jackson.marshaller());
      }
      return inner.get();
    });
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
