package io.framewire.bench;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The load tool's command line, parsed and checked before any connection is made.
 *
 * @param fps frames per second per session; 0 means closed loop (next frame when the previous
 *     answer arrives)
 * @param progressEvery how often a progress line goes to stderr; zero disables it
 */
public record LoadOptions(
    URI url,
    int sessions,
    double fps,
    Duration duration,
    Duration warmup,
    Duration drainTimeout,
    Duration connectTimeout,
    Path jpegFile,
    int jpegKb,
    boolean json,
    Duration progressEvery,
    boolean allowRemote) {

  static final String DEFAULT_URL = "ws://127.0.0.1:8080/ws/video/stream?pipeline_id=echo";

  /** Thrown for a bad command line; the message is shown to the user with the usage text. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  public boolean closedLoop() {
    return fps == 0;
  }

  public static String usage() {
    return """
        usage: bench [options]
          --url URL             WebSocket URL (default %s)
          --sessions N          concurrent sessions (default 1)
          --fps F               frames per second per session; omit or 0 for closed loop
          --duration D          measured time after warm-up, e.g. 30s, 500ms, 2m (default 10s)
          --warmup D            time before measuring; its answers are not counted (default 2s)
          --drain-timeout D     how long to wait for outstanding answers at the end (default 5s)
          --connect-timeout D   per-session WebSocket handshake timeout (default 5s)
          --jpeg FILE           send this JPEG
          --jpeg-kb K           size of the generated JPEG when --jpeg is absent (default 21)
          --json                print the report as one JSON object
          --progress D          progress line to stderr every D; 0 disables (default 5s)
          --allow-remote        allow a host that is not loopback (refused by default)
          --help                this text
        exit codes: 0 ok, 2 usage error or refused host, 3 a session could not connect,
          4 other failure
        """.formatted(DEFAULT_URL);
  }

  /** Parses {@code args}; {@code null} means {@code --help} was asked for. */
  public static LoadOptions parse(String... args) throws UsageException {
    URI url = URI.create(DEFAULT_URL);
    int sessions = 1;
    double fps = 0;
    Duration duration = Duration.ofSeconds(10);
    Duration warmup = Duration.ofSeconds(2);
    Duration drain = Duration.ofSeconds(5);
    Duration connect = Duration.ofSeconds(5);
    Path jpeg = null;
    int jpegKb = 21;
    boolean json = false;
    Duration progress = Duration.ofSeconds(5);
    boolean allowRemote = false;

    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--help", "-h" -> {
          return null;
        }
        case "--json" -> json = true;
        case "--allow-remote" -> allowRemote = true;
        case "--url" -> url = parseUrl(value(args, ++i, arg));
        case "--sessions" -> sessions = positiveInt(value(args, ++i, arg), arg);
        case "--fps" -> fps = nonNegativeDouble(value(args, ++i, arg), arg);
        case "--duration" -> duration = parseDuration(value(args, ++i, arg), arg);
        case "--warmup" -> warmup = parseDuration(value(args, ++i, arg), arg);
        case "--drain-timeout" -> drain = parseDuration(value(args, ++i, arg), arg);
        case "--connect-timeout" -> connect = parseDuration(value(args, ++i, arg), arg);
        case "--jpeg" -> jpeg = Path.of(value(args, ++i, arg));
        case "--jpeg-kb" -> jpegKb = positiveInt(value(args, ++i, arg), arg);
        case "--progress" -> progress = parseDuration(value(args, ++i, arg), arg);
        default -> throw new UsageException("unknown option '" + arg + "'");
      }
    }
    if (duration.isZero()) {
      throw new UsageException("--duration must be greater than 0");
    }
    if (connect.isZero()) {
      throw new UsageException("--connect-timeout must be greater than 0");
    }
    if (!allowRemote && !isLoopback(url.getHost())) {
      throw new UsageException(
          "refusing non-loopback host '" + url.getHost()
              + "': benchmarks target 127.0.0.1 only (pass --allow-remote to override)");
    }
    return new LoadOptions(url, sessions, fps, duration, warmup, drain, connect, jpeg, jpegKb, json,
        progress, allowRemote);
  }

  /**
   * True only for literal loopback addresses and {@code localhost}. Other names are not resolved:
   * a name that happens to map to loopback today may not tomorrow, and refusing costs nothing.
   */
  static boolean isLoopback(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!isIpLiteral(h)) {
      return false;
    }
    try {
      // getByName does no lookup for a literal, so this never touches the network.
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static boolean isIpLiteral(String h) {
    return h.contains(":") || h.matches("\\d{1,3}(\\.\\d{1,3}){3}");
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static URI parseUrl(String text) throws UsageException {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("ws") && !scheme.equals("wss")) {
        throw new UsageException("--url must start with ws:// or wss://, got '" + text + "'");
      }
      if (uri.getHost() == null) {
        throw new UsageException("--url has no host: '" + text + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new UsageException("--url is not a valid URL: " + e.getMessage());
    }
  }

  private static int positiveInt(String text, String option) throws UsageException {
    try {
      int n = Integer.parseInt(text);
      if (n <= 0) {
        throw new UsageException(option + " must be a positive integer, got '" + text + "'");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(option + " must be a positive integer, got '" + text + "'");
    }
  }

  private static double nonNegativeDouble(String text, String option) throws UsageException {
    try {
      double d = Double.parseDouble(text);
      if (!(d >= 0) || Double.isInfinite(d)) {
        throw new UsageException(option + " must be a number >= 0, got '" + text + "'");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new UsageException(option + " must be a number >= 0, got '" + text + "'");
    }
  }

  /** Accepts {@code 250ms}, {@code 30s}, {@code 2m} and a bare number of seconds ({@code 1.5}). */
  static Duration parseDuration(String text, String option) throws UsageException {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      double amount;
      long nanosPerUnit;
      if (t.endsWith("ms")) {
        amount = Double.parseDouble(t.substring(0, t.length() - 2));
        nanosPerUnit = 1_000_000L;
      } else if (t.endsWith("s")) {
        amount = Double.parseDouble(t.substring(0, t.length() - 1));
        nanosPerUnit = 1_000_000_000L;
      } else if (t.endsWith("m")) {
        amount = Double.parseDouble(t.substring(0, t.length() - 1));
        nanosPerUnit = 60_000_000_000L;
      } else {
        amount = Double.parseDouble(t);
        nanosPerUnit = 1_000_000_000L;
      }
      if (!(amount >= 0) || Double.isInfinite(amount)) {
        throw new UsageException(option + " must not be negative, got '" + text + "'");
      }
      return Duration.ofNanos(Math.round(amount * nanosPerUnit));
    } catch (NumberFormatException e) {
      throw new UsageException(option + " must be a duration like 30s or 500ms, got '" + text + "'");
    }
  }
}
