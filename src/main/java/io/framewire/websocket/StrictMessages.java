package io.framewire.websocket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.impl.engine.ws.FrameEvent$;
import org.apache.pekko.http.impl.engine.ws.FrameHandler;
import org.apache.pekko.http.impl.engine.ws.FrameStart;
import org.apache.pekko.http.impl.engine.ws.Protocol;
import org.apache.pekko.http.impl.engine.ws.ProtocolException;
import org.apache.pekko.http.impl.engine.ws.WebSocket;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.scaladsl.model.ws.PeerClosedConnectionException;
import org.apache.pekko.japi.function.Effect;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BidiShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;
import scala.Option;

/**
 * The message layer of framewire's WebSocket stack, in place of pekko-http's {@code messageAPI}:
 * between pekko-http's frame handler (control frames, UTF-8, protocol errors) and its close
 * handler on one side and the connection's message flow on the other.
 *
 * <p>pekko-http cuts every message out of the frame stream as a sub-stream ({@code splitAfter} +
 * {@code prefixAndTail}), materializing two sub-streams per message, and re-arms a keep-alive timer
 * per message: with it the server spent 1.75× the CPU per echoed frame (docs/benchmarks.md, levers).
 * Here a message is assembled in the stage itself:
 *
 * <ul>
 *   <li>a message in one part goes up as a strict message holding that part (no copy);
 *   <li>a message in several parts (fragments, or a large frame read in pieces) is assembled into one
 *       array (one copy), but never beyond {@code maxMessageBytes}: the part that crosses the limit
 *       is the last one kept, and the message goes up as a <em>streamed</em> message of what was
 *       kept (so the reader sees more bytes than the limit and refuses it), the rest is discarded
 *       as it arrives;
 *   <li>keep-alive pings go out when nothing came from the client for the idle time, checked by one
 *       periodic timer per connection that also drives the close handler's timeout.
 * </ul>
 *
 * <p>Outgoing messages must be strict (framewire's answers always are); a streamed one ends the
 * connection with close code 1011, as a failing handler does.
 */
final class StrictMessages extends GraphStage<BidiShape<FrameHandler.Output, Message, Message, Object>> {

  private static final Protocol.Opcode TEXT = Protocol.Opcode$.MODULE$.forCode((byte) 1);
  private static final Protocol.Opcode BINARY = Protocol.Opcode$.MODULE$.forCode((byte) 2);

  private final Inlet<FrameHandler.Output> fromNetwork = Inlet.create("StrictMessages.fromNetwork");
  private final Outlet<Message> toUser = Outlet.create("StrictMessages.toUser");
  private final Inlet<Message> fromUser = Inlet.create("StrictMessages.fromUser");
  private final Outlet<Object> toNetwork = Outlet.create("StrictMessages.toNetwork");
  private final BidiShape<FrameHandler.Output, Message, Message, Object> shape =
      BidiShape.of(fromNetwork, toUser, fromUser, toNetwork);

  private final int maxMessageBytes;
  private final long keepAliveNanos;
  private final FrameHandler.DirectAnswer keepAlive;
  private final Duration tick;

  /**
   * @param keepAliveIdle send {@code keepAliveFrame} after this long without a frame from the
   *     client; zero or negative: never
   * @param tick how often the idle time and the close handler's timeout are checked
   */
  StrictMessages(int maxMessageBytes, Duration keepAliveIdle, FrameStart keepAliveFrame, Duration tick) {
    this.maxMessageBytes = maxMessageBytes;
    this.keepAliveNanos = keepAliveIdle.isNegative() || keepAliveIdle.isZero() ? 0 : keepAliveIdle.toNanos();
    this.keepAlive = new FrameHandler.DirectAnswer(keepAliveFrame);
    this.tick = tick;
  }

  @Override
  public BidiShape<FrameHandler.Output, Message, Message, Object> shape() {
    return shape;
  }

  @Override
  public Attributes initialAttributes() {
    return Attributes.name("framewire-strict-messages");
  }

  /** A complete unfragmented frame for a strict outgoing message, or null for a streamed one. */
  static FrameStart render(Message message) {
    if (message.isText()) {
      TextMessage text = message.asTextMessage();
      return text.isStrict()
          ? frame(TEXT, ByteString.fromString(text.getStrictText(), StandardCharsets.UTF_8))
          : null;
    }
    BinaryMessage binary = message.asBinaryMessage();
    return binary.isStrict() ? frame(BINARY, binary.getStrictData()) : null;
  }

  static FrameStart frame(Protocol.Opcode opcode, ByteString data) {
    return FrameEvent$.MODULE$.fullFrame(opcode, Option.empty(), data, true, false, false, false);
  }

  @Override
  public GraphStageLogic createLogic(Attributes inheritedAttributes) {
    return new TimerGraphStageLogic(shape) {
      // The message being assembled: its parts so far (text or binary), their size, and whether
      // the rest of it is being discarded because it went over the limit.
      private final List<Object> parts = new ArrayList<>();
      private long partsSize;
      private boolean inMessage;
      private boolean discarding;
      private long lastFromClient;
      private boolean keepAlivePending;
      private boolean networkDone;
      private boolean userDone;
      private final Effect pullNetwork = this::tryPullNetwork;
      private final Effect pullUser = () -> {
        if (!isClosed(fromUser) && !hasBeenPulled(fromUser)) {
          pull(fromUser);
        }
      };

      private void tryPullNetwork() {
        if (!isClosed(fromNetwork) && !hasBeenPulled(fromNetwork)) {
          pull(fromNetwork);
        }
      }

      {
        setHandler(fromNetwork, new AbstractInHandler() {
          @Override
          public void onPush() {
            lastFromClient = System.nanoTime();
            FrameHandler.Output event = grab(fromNetwork);
            if (event instanceof FrameHandler.BinaryMessagePart part) {
              onPart(part.data(), part.data().size(), part.last(), false);
            } else if (event instanceof FrameHandler.TextMessagePart part) {
              onPart(part.data(), part.data().length(), part.last(), true);
            } else if (event instanceof FrameHandler.PeerClosed closed) {
              toNetwork(closed);
              peerClosed(closed);
            } else if (event instanceof FrameHandler.ActivelyCloseWithCode close) {
              toNetwork(close);
              failUser(close.code().exists(code -> Protocol.CloseCodes$.MODULE$.isError((Integer) code))
                  ? ProtocolException.apply("Closing connection with error code " + close.code())
                  : new IllegalStateException("Regular close from FrameHandler is unexpected"));
            } else if (event instanceof FrameHandler.BypassEvent bypass) {
              toNetwork(bypass); // a pong for the client's ping
            } else {
              tryPullNetwork(); // MessageEnd: the parts' last flag already said it
            }
          }

          @Override
          public void onUpstreamFinish() {
            networkDone = true;
            if (!isClosed(toUser)) {
              complete(toUser);
            }
            finishIfDone();
          }
        });
        setHandler(toUser, new AbstractOutHandler() {
          @Override
          public void onPull() {
            // demand is served by emit()
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            // The connection's flow stopped reading messages: frames still need their close handling.
          }
        });
        setHandler(fromUser, new AbstractInHandler() {
          @Override
          public void onPush() {
            Message message = grab(fromUser);
            FrameStart frame = render(message);
            if (frame != null) {
              emit(toNetwork, frame, pullUser);
            } else {
              cancel(fromUser);
              userEnded(new FrameHandler.UserHandlerErredOut(
                  new IllegalArgumentException("framewire's WebSocket layer sends strict messages only")));
            }
          }

          @Override
          public void onUpstreamFinish() {
            userEnded(FrameHandler.UserHandlerCompleted$.MODULE$);
          }

          @Override
          public void onUpstreamFailure(Throwable ex) {
            userEnded(new FrameHandler.UserHandlerErredOut(ex));
          }
        });
        setHandler(toNetwork, new AbstractOutHandler() {
          @Override
          public void onPull() {
            // demand is served by emit()
          }
        });
      }

      @Override
      public void preStart() {
        lastFromClient = System.nanoTime();
        pull(fromNetwork);
        pull(fromUser);
        scheduleWithFixedDelay("tick", tick, tick);
      }

      @Override
      public void onTimer(Object key) {
        if (isClosed(toNetwork)) {
          return;
        }
        long now = System.nanoTime();
        if (keepAliveNanos > 0 && !keepAlivePending && !networkDone && now - lastFromClient >= keepAliveNanos) {
          keepAlivePending = true;
          lastFromClient = now;
          emit(toNetwork, keepAlive, () -> keepAlivePending = false);
        } else if (isAvailable(toNetwork)) {
          push(toNetwork, WebSocket.Tick$.MODULE$); // the close handler's clock
        }
      }

      private void onPart(Object data, int size, boolean last, boolean text) {
        inMessage = !last;
        Message ready = null;
        if (!discarding) {
          parts.add(data);
          partsSize += size;
          if (partsSize > maxMessageBytes) {
            ready = streamed(text);
            discarding = !last;
            parts.clear();
          } else if (last) {
            ready = strict(text);
          }
        } else if (last) {
          discarding = false;
        }
        if (last) {
          parts.clear();
          partsSize = 0;
        }
        if (ready == null) {
          tryPullNetwork();
        } else if (isClosed(toUser)) {
          tryPullNetwork();
        } else {
          emit(toUser, ready, pullNetwork);
        }
      }

      private Message strict(boolean text) {
        if (text) {
          if (parts.size() == 1) {
            return TextMessage.create((String) parts.get(0));
          }
          StringBuilder all = new StringBuilder((int) partsSize);
          parts.forEach(part -> all.append((String) part));
          return TextMessage.create(all.toString());
        }
        if (parts.size() == 1) {
          return BinaryMessage.create((ByteString) parts.get(0));
        }
        byte[] all = new byte[(int) partsSize];
        int at = 0;
        for (Object part : parts) {
          ByteString bytes = (ByteString) part;
          bytes.asByteBuffer().get(all, at, bytes.size());
          at += bytes.size();
        }
        return BinaryMessage.create(ByteString.fromArrayUnsafe(all));
      }

      /** What was kept of an oversized message, as a streamed message: its reader sees the size. */
      private Message streamed(boolean text) {
        List<Object> kept = List.copyOf(parts);
        return text
            ? TextMessage.create(Source.from(kept).map(part -> (String) part))
            : BinaryMessage.create(Source.from(kept).map(part -> (ByteString) part));
      }

      private void toNetwork(Object event) {
        emit(toNetwork, event, pullNetwork);
      }

      private void peerClosed(FrameHandler.PeerClosed closed) {
        if (closed.code().exists(code -> Protocol.CloseCodes$.MODULE$.isError((Integer) code))) {
          failUser(new PeerClosedConnectionException((Integer) closed.code().get(), closed.reason()));
        } else if (inMessage) {
          failUser(ProtocolException.apply("Truncated message, peer closed connection in the middle of message."));
        } else if (!isClosed(toUser)) {
          complete(toUser);
        }
      }

      private void failUser(Throwable cause) {
        if (!isClosed(toUser)) {
          fail(toUser, cause);
        }
      }

      private void userEnded(Object event) {
        userDone = true;
        emit(toNetwork, event);
        finishIfDone();
      }

      /** Both sides ended: the close handler gets what is still queued for it, then completion. */
      private void finishIfDone() {
        if (networkDone && userDone) {
          complete(toNetwork);
        }
      }
    };
  }
}
