package io.framewire.video;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What kind of input a string names, and how to show it without its credentials. */
public final class VideoInputs {

  /** The network schemes a live source may use (FFmpeg protocols). */
  public static final Set<String> NETWORK_SCHEMES =
      Set.of("rtsp", "rtsps", "http", "https", "tcp", "udp", "rtp", "rtmp", "rtmps", "srt");

  private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://");
  private static final Pattern USER_INFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@?#]*)@");

  private VideoInputs() {}

  /** The lower-case URL scheme ({@code rtsp}, …), or null for a file path. */
  public static String scheme(String input) {
    Matcher m = SCHEME.matcher(input);
    return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
  }

  /** Whether the input is a network URL (one of {@link #NETWORK_SCHEMES}). */
  public static boolean isNetwork(String input) {
    String scheme = scheme(input);
    return scheme != null && NETWORK_SCHEMES.contains(scheme);
  }

  /**
   * The input with the password of its user info masked ({@code rtsp://admin:***@cam/…}); file paths
   * and URLs without credentials unchanged. Used wherever an input is shown: API answers, logs, errors.
   */
  public static String masked(String input) {
    if (input == null) {
      return null;
    }
    Matcher m = USER_INFO.matcher(input);
    if (!m.find()) {
      return input;
    }
    String userInfo = m.group(2);
    int colon = userInfo.indexOf(':');
    String shown = colon < 0 ? "***" : userInfo.substring(0, colon) + ":***";
    return m.group(1) + shown + "@" + input.substring(m.end());
  }

  /**
   * Checks a live source URL: a network scheme, a host, no spaces or control characters.
   *
   * @return null if fine, else why not (one sentence)
   */
  public static String problemWithLiveUrl(String url) {
    if (url == null || url.isBlank()) {
      return "url is required";
    }
    if (url.length() > 2048) {
      return "url is longer than 2048 characters";
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= ' ' || c == 0x7f) {
        return "url must not contain spaces or control characters";
      }
    }
    String scheme = scheme(url);
    if (scheme == null || !NETWORK_SCHEMES.contains(scheme)) {
      return "url must start with one of " + String.join("://, ", NETWORK_SCHEMES.stream().sorted().toList())
          + "://";
    }
    try {
      URI uri = URI.create(url);
      if (uri.getHost() == null || uri.getHost().isBlank()) {
        return "url has no host";
      }
    } catch (IllegalArgumentException e) {
      return "url is not a valid URL";
    }
    return null;
  }
}
