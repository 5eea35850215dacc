package io.framewire.mcp;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * The MCP specification's defence against DNS rebinding: a request that carries an {@code Origin}
 * (a browser's) must come from a local page ({@code localhost}, {@code 127.0.0.0/8}, {@code [::1]},
 * any port) or an origin named in {@code MCP_ALLOWED_ORIGINS}. Comparing the Origin with the Host
 * header, as the stream's rule does, would not do here: a rebound name is the same in both. Clients
 * that send no Origin (programs, not browsers) pass.
 */
public final class OriginRule {

  private final List<String> allowed;

  public OriginRule(List<String> allowedOrigins) {
    this.allowed = allowedOrigins.stream().map(McpSettings::normalize).toList();
  }

  /** Why {@code origin} may not use {@code /mcp}, or empty if it may. */
  public Optional<String> refusal(Optional<String> origin) {
    if (origin.isEmpty()) {
      return Optional.empty();
    }
    String normalized = McpSettings.normalize(origin.get());
    if (allowed.contains("*") || allowed.contains(normalized) || isLocal(normalized)) {
      return Optional.empty();
    }
    return Optional.of("origin '" + origin.get() + "' may not use /mcp; allowed: local pages (localhost, 127.0.0.1, "
        + "[::1])" + (allowed.isEmpty() ? "" : ", " + String.join(", ", allowed)) + " (MCP_ALLOWED_ORIGINS)");
  }

  static boolean isLocal(String origin) {
    URI uri;
    try {
      uri = new URI(origin);
    } catch (URISyntaxException e) {
      return false; // includes "null", sent by sandboxed pages
    }
    String host = uri.getHost();
    if (host == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      return false;
    }
    return host.equals("localhost") || host.equals("[::1]") || host.matches("127(\\.\\d{1,3}){3}");
  }
}
