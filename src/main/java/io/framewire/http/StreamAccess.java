package io.framewire.http;

import io.framewire.streaming.StreamError;
import io.framewire.streaming.StreamSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may open a stream, decided before the WebSocket upgrade: the browser {@code Origin} must be
 * allowed ({@code STREAM_ALLOWED_ORIGINS}; by default the server's own origin, so that a page on
 * another site cannot hijack a user's connection) and, when {@code STREAM_AUTH_TOKEN} is set, the
 * request must carry the token ({@code ?token=} or {@code Authorization: Bearer}), compared in
 * constant time. Clients that send no Origin (not browsers) pass the origin check.
 */
public final class StreamAccess {

  /** A refused request: the HTTP status and the error ({@code forbidden_origin} or {@code unauthorized}). */
  public record Refusal(int status, StreamError error) {}

  private final List<String> allowedOrigins;
  private final Optional<byte[]> tokenDigest;

  public StreamAccess(StreamSettings settings) {
    this.allowedOrigins = settings.allowedOrigins().stream().map(StreamAccess::normalize).toList();
    this.tokenDigest = settings.authToken().map(StreamAccess::digest);
  }

  /**
   * @param origin the {@code Origin} header, if any
   * @param host the {@code Host} header, if any
   * @param tokenParam the {@code token} query parameter, if any
   * @param authorization the {@code Authorization} header, if any
   * @return why the request is refused, or empty if it may go on
   */
  public Optional<Refusal> check(
      Optional<String> origin, Optional<String> host, Optional<String> tokenParam, Optional<String> authorization) {
    if (origin.isPresent() && !originAllowed(origin.get(), host)) {
      return Optional.of(new Refusal(403, new StreamError(StreamError.Code.FORBIDDEN_ORIGIN,
          "origin '" + origin.get() + "' may not open streams; allowed: "
              + (allowedOrigins.isEmpty() ? "this server's own origin" : String.join(", ", allowedOrigins))
              + " (STREAM_ALLOWED_ORIGINS)")));
    }
    return checkToken(tokenParam, authorization);
  }

  /** The token part of {@link #check} alone, for an endpoint with its own origin rule ({@code /mcp}). */
  public Optional<Refusal> checkToken(Optional<String> tokenParam, Optional<String> authorization) {
    if (tokenDigest.isPresent()) {
      Optional<String> presented = tokenParam.or(() -> authorization
          .filter(a -> a.regionMatches(true, 0, "Bearer ", 0, 7))
          .map(a -> a.substring(7).trim()));
      if (presented.isEmpty()) {
        return Optional.of(new Refusal(401, new StreamError(StreamError.Code.UNAUTHORIZED,
            "this server needs a token: add ?token=… or an 'Authorization: Bearer …' header")));
      }
      // Digests of equal length, compared without an early exit: the time taken says nothing about the token.
      if (!MessageDigest.isEqual(tokenDigest.get(), digest(presented.get()))) {
        return Optional.of(new Refusal(401, new StreamError(StreamError.Code.UNAUTHORIZED, "the token is not valid")));
      }
    }
    return Optional.empty();
  }

  private boolean originAllowed(String origin, Optional<String> host) {
    String normalized = normalize(origin);
    if (!allowedOrigins.isEmpty()) {
      return allowedOrigins.contains("*") || allowedOrigins.contains(normalized);
    }
    return host.isPresent() && sameOrigin(normalized, host.get());
  }

  /** Whether {@code origin} (scheme://host[:port]) names the same host and port as the Host header. */
  static boolean sameOrigin(String origin, String hostHeader) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (java.net.URISyntaxException e) {
      return false; // includes "null", sent by sandboxed pages
    }
    String scheme = uri.getScheme();
    if (scheme == null || uri.getHost() == null) {
      return false;
    }
    int defaultPort = switch (scheme) {
      case "http", "ws" -> 80;
      case "https", "wss" -> 443;
      default -> -1;
    };
    if (defaultPort < 0) {
      return false;
    }
    int originPort = uri.getPort() < 0 ? defaultPort : uri.getPort();
    URI hostUri;
    try {
      hostUri = new URI("//" + hostHeader.trim().toLowerCase(Locale.ROOT));
    } catch (java.net.URISyntaxException e) {
      return false;
    }
    if (hostUri.getHost() == null) {
      return false;
    }
    int hostPort = hostUri.getPort() < 0 ? defaultPort : hostUri.getPort();
    return hostUri.getHost().equals(uri.getHost()) && hostPort == originPort;
  }

  private static String normalize(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
