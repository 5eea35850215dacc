package io.framewire.websocket;

import java.time.Duration;
import java.util.Locale;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.event.Logging;
import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.impl.engine.ws.FrameEvent;
import org.apache.pekko.http.impl.engine.ws.FrameHandler$;
import org.apache.pekko.http.impl.engine.ws.FrameOutHandler$;
import org.apache.pekko.http.impl.engine.ws.FrameStart;
import org.apache.pekko.http.impl.engine.ws.Protocol;
import org.apache.pekko.http.impl.engine.ws.UpgradeToWebSocketLowLevel;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.http.javadsl.settings.WebSocketSettings;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.concurrent.duration.FiniteDuration;

/**
 * How a WebSocket connection's messages meet the network: {@code framewire} (the default) runs
 * framewire's message layer ({@link StrictMessages}, {@link Unmasking}) between pekko-http's frame
 * parser, frame handler and close handler; {@code pekko} runs pekko-http's own message API
 * ({@code handleMessagesWith}). The protocol seen by a client is the same (every protocol test runs
 * against the default); the framewire layer costs less per message (docs/benchmarks.md).
 *
 * <p>The framewire layer plugs in through pekko-http's frame-level upgrade ({@code
 * UpgradeToWebSocketLowLevel.handleFrames}), which pekko-http marks internal: a pekko-http upgrade
 * that changes it fails framewire's build or its WebSocket tests, never silently. If an upgrade does
 * not offer it at run time, the connection falls back to the pekko layer with one log line.
 */
public final class WebSocketLayer {

  private static final Logger log = LoggerFactory.getLogger(WebSocketLayer.class);
  /** pekko-http's close timeout for the server side (its {@code WebSocket.stack} default). */
  private static final FiniteDuration CLOSE_TIMEOUT = FiniteDuration.create(3, "s");
  /** The longest period of the layer's one timer (close timeout, keep-alive idle checks). */
  private static final Duration MAX_TICK = Duration.ofSeconds(1);

  /** Which message layer a connection runs on. */
  public enum Kind { FRAMEWIRE, PEKKO }

  private final Kind kind;
  private final int maxMessageBytes;
  private final Duration keepAliveIdle;
  /** The keep-alive frame: a ping, or a pong with {@code periodic-keep-alive-mode = pong}. */
  private final FrameStart keepAliveFrame;
  private final LoggingAdapter pekkoLog;
  private volatile boolean fallbackLogged;

  private WebSocketLayer(Kind kind, int maxMessageBytes, Duration keepAliveIdle, String keepAliveMode, LoggingAdapter pekkoLog) {
    this.kind = kind;
    this.maxMessageBytes = maxMessageBytes;
    this.keepAliveIdle = keepAliveIdle;
    int opcode = "pong".equalsIgnoreCase(keepAliveMode) ? 0xA : 0x9;
    this.keepAliveFrame = StrictMessages.frame(Protocol.Opcode$.MODULE$.forCode((byte) opcode), ByteString.emptyByteString());
    this.pekkoLog = pekkoLog;
  }

  /**
   * @param kind {@code framewire} or {@code pekko} (case-insensitive)
   * @param maxMessageBytes a message is not assembled past this size (the frame size limit)
   */
  public static WebSocketLayer create(ActorSystem<?> system, String kind, int maxMessageBytes) {
    // The keep-alive settings are pekko-http's own (pekko.http.server.websocket.*), honoured by both layers.
    WebSocketSettings ws = ServerSettings.create(system.classicSystem()).getWebsocketSettings();
    scala.concurrent.duration.Duration idle = ws.periodicKeepAliveMaxIdle();
    Duration keepAliveIdle = idle.isFinite() ? Duration.ofNanos(idle.toNanos()) : Duration.ZERO;
    return new WebSocketLayer(parse(kind), maxMessageBytes, keepAliveIdle, ws.periodicKeepAliveMode(),
        Logging.getLogger(system.classicSystem(), WebSocketLayer.class));
  }

  static Kind parse(String kind) {
    try {
      return Kind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("websocket layer must be framewire or pekko, not '" + kind + "'");
    }
  }

  public Kind kind() {
    return kind;
  }

  /** The response that upgrades this request's connection and runs {@code handler} on its messages. */
  public HttpResponse handle(WebSocketUpgrade upgrade, Flow<Message, Message, NotUsed> handler) {
    if (kind == Kind.FRAMEWIRE) {
      if (upgrade instanceof UpgradeToWebSocketLowLevel lowLevel) {
        return lowLevel.handleFrames(frames(handler).mapMaterializedValue(notUsed -> (Object) notUsed), Option.empty());
      }
      if (!fallbackLogged) {
        fallbackLogged = true;
        log.warn("pekko-http offers no frame-level WebSocket upgrade here ({}); using its message layer",
            upgrade.getClass().getName());
      }
    }
    return upgrade.handleMessagesWith(handler);
  }

  /** Checked four times per keep-alive idle time, so a ping goes out at most 1.25 idle times after the client's last frame. */
  static Duration tick(Duration keepAliveIdle) {
    Duration quarter = keepAliveIdle.dividedBy(4);
    return keepAliveIdle.isZero() || quarter.compareTo(MAX_TICK) > 0 ? MAX_TICK : quarter.isZero() ? Duration.ofMillis(1) : quarter;
  }

  /** Frames in (still masked) to frames out: unmask → pekko's frame handler → messages ⇄ handler → pekko's close handler. */
  Flow<FrameEvent, FrameEvent, NotUsed> frames(Flow<Message, Message, NotUsed> handler) {
    StrictMessages messages = new StrictMessages(maxMessageBytes, keepAliveIdle, keepAliveFrame, tick(keepAliveIdle));
    return Flow.<FrameEvent>create()
        .via(new Unmasking())
        .via(FrameHandler$.MODULE$.create(true))
        .via(BidiFlow.fromGraph(messages).join(handler))
        .via(FrameOutHandler$.MODULE$.create(true, CLOSE_TIMEOUT, pekkoLog))
        .<FrameEvent>map(frame -> frame)
        .named("framewire-websocket");
  }
}
