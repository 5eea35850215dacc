package io.framewire.mcp;

import java.util.List;
import java.util.Locale;

/**
 * {@code framewire.mcp.*}: the MCP endpoint ({@code /mcp}, docs/mcp.md).
 *
 * @param enabled whether {@code /mcp} is served ({@code MCP_ENABLED})
 * @param allowedOrigins browser origins allowed besides the local ones ({@code MCP_ALLOWED_ORIGINS};
 *     {@code *}: any), lower case, no trailing slash
 * @param maxImageBytes the largest image {@code analyze_image} takes ({@code MCP_MAX_IMAGE_MB})
 */
public record McpSettings(boolean enabled, List<String> allowedOrigins, int maxImageBytes) {

  /** The most {@code MCP_MAX_IMAGE_MB} may be: an image and its base64 travel in one request body. */
  public static final int MAX_IMAGE_MB = 64;

  public McpSettings {
    allowedOrigins = allowedOrigins.stream().map(McpSettings::normalize).toList();
    if (maxImageBytes < 1 || maxImageBytes > MAX_IMAGE_MB * 1024 * 1024) {
      throw new IllegalArgumentException("framewire.mcp.max-image-mb must be 1.." + MAX_IMAGE_MB);
    }
  }

  /** The defaults: on, local origins only, 10 MB images. */
  public static McpSettings defaults() {
    return new McpSettings(true, List.of(), 10 * 1024 * 1024);
  }

  /** The largest request body {@code /mcp} reads: the largest image as base64, plus room for the rest. */
  public long maxRequestBytes() {
    return (long) maxImageBytes * 4 / 3 + 64 * 1024;
  }

  static String normalize(String origin) {
    String o = origin.trim().toLowerCase(Locale.ROOT);
    return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
  }
}
