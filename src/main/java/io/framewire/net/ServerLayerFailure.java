package io.framewire.net;

import java.nio.charset.StandardCharsets;
import org.apache.pekko.stream.TLSProtocol.SendBytes;
import org.apache.pekko.stream.TLSProtocol.SslTlsOutbound;
import org.apache.pekko.util.ByteString;

/**
 * pekko-http's server layer answers a request it parsed but could not turn into an {@code HttpRequest}
 * with a bodyless {@code 500} (and an ERROR in the log) before any route runs: pekko-http 1.3.0 does
 * so for an HTTP/1.0 request with {@code Transfer-Encoding: chunked}, which RFC 9112 §6.1 calls faulty
 * framing, a client's mistake. That answer has no hook, so it is recognised on the way out, whole in
 * one chunk as pekko renders it, and replaced by a 400 in framewire's error shape, connection closed
 * as pekko's was. framewire's own 500s always carry a JSON body and never match.
 */
final class ServerLayerFailure {

  private static final ByteString PEKKO_500_START = ByteString.fromString("HTTP/1.1 500 Internal Server Error\r\n");
  private static final ByteString PEKKO_500_END = ByteString.fromString("\r\nContent-Length: 0\r\n\r\n");
  private static final String BODY = "{\"error\":\"bad_request\",\"detail\":\"the request's framing cannot be read"
      + " (an HTTP/1.0 request with Transfer-Encoding, RFC 9112 section 6.1)\"}";
  static final ByteString ANSWER = ByteString.fromString("HTTP/1.1 400 Bad Request\r\n"
      + "Connection: close\r\n"
      + "Content-Type: application/json\r\n"
      + "Content-Length: " + BODY.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + BODY);

  private ServerLayerFailure() {}

  /** The outbound element, or the JSON 400 in place of pekko's bodyless 500. */
  static SslTlsOutbound answer(SslTlsOutbound outbound) {
    if (outbound instanceof SendBytes send && isPekko500(send.bytes())) {
      return new SendBytes(ANSWER);
    }
    return outbound;
  }

  static boolean isPekko500(ByteString bytes) {
    return bytes.size() < 512 && bytes.take(PEKKO_500_START.size()).equals(PEKKO_500_START)
        && bytes.takeRight(PEKKO_500_END.size()).equals(PEKKO_500_END);
  }
}
