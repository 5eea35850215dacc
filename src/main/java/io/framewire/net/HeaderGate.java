package io.framewire.net;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.TLSProtocol.SessionBytes;
import org.apache.pekko.stream.TLSProtocol.SslTlsInbound;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * The first stage of a connection's (decrypted) inbound bytes: holds them until the first
 * request's header block is complete (the empty line: {@code CRLF CRLF}, or {@code LF LF}), then lets everything through untouched
 * (request bodies, later requests, WebSocket frames). Two jobs:
 *
 * <ul>
 *   <li>The header deadline: if the headers are not complete within the timeout (for TLS the
 *       handshake counts too, since no plaintext arrives before it), the stage completes, which
 *       closes the connection, and {@code onTimeout} runs once.
 *   <li>Cheap slow clients: nothing downstream sees a byte before the headers are complete, so
 *       pekko-http's server layer (some twenty stages) is materialized only then, lazily, for
 *       connections that deserve it. A connection that never completes its headers costs this
 *       stage and the bytes it holds, at most {@code maxHeld}; beyond that the bytes are let
 *       through early so that pekko-http's own header limits answer 431 at once.
 * </ul>
 */
final class HeaderGate extends GraphStage<FlowShape<SslTlsInbound, SslTlsInbound>> {

  private final Inlet<SslTlsInbound> in = Inlet.create("HeaderGate.in");
  private final Outlet<SslTlsInbound> out = Outlet.create("HeaderGate.out");
  private final FlowShape<SslTlsInbound, SslTlsInbound> shape = FlowShape.of(in, out);
  private final Duration timeout;
  private final int maxHeld;
  private final Runnable onTimeout;

  HeaderGate(Duration timeout, int maxHeld, Runnable onTimeout) {
    this.timeout = timeout;
    this.maxHeld = maxHeld;
    this.onTimeout = onTimeout;
  }

  @Override
  public FlowShape<SslTlsInbound, SslTlsInbound> shape() {
    return shape;
  }

  /** Whether {@code CRLF CRLF} (or a lenient {@code LF LF}) ends within {@code previous} (the last bytes seen before) followed by {@code chunk}. */
  static boolean headerEnd(int previous, ByteString chunk) {
    int window = previous;
    for (int i = 0; i < chunk.size(); i++) {
      window = (window << 8) | (chunk.apply(i) & 0xff);
      if (window == 0x0d0a0d0a || (window & 0xffff) == 0x0a0a) { // CRLF CRLF, or the bare LF LF parsers tolerate
        return true;
      }
    }
    return false;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      private final List<SslTlsInbound> held = new ArrayList<>();
      private int heldBytes;
      private int lastBytes; // the last four bytes seen, to find CRLF CRLF across chunks
      private boolean headersComplete;
      private boolean open; // elements flow through (headers complete, or too many bytes held)

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            SslTlsInbound element = grab(in);
            if (!headersComplete && element instanceof SessionBytes bytes) {
              ByteString chunk = bytes.bytes();
              if (headerEnd(lastBytes, chunk)) {
                headersComplete = true;
                cancelTimer("deadline");
              } else {
                for (int i = Math.max(0, chunk.size() - 4); i < chunk.size(); i++) {
                  lastBytes = (lastBytes << 8) | (chunk.apply(i) & 0xff);
                }
              }
              heldBytes += chunk.size();
            }
            if (open) {
              push(out, element);
              return;
            }
            held.add(element);
            if (headersComplete || heldBytes > maxHeld) {
              open = true;
              List<SslTlsInbound> all = new ArrayList<>(held);
              held.clear();
              emitMultiple(out, all.iterator());
            } else {
              pull(in);
            }
          }

          @Override
          public void onUpstreamFinish() {
            if (!held.isEmpty()) {
              emitMultiple(out, new ArrayList<>(held).iterator());
              held.clear();
            }
            completeStage();
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            if (!hasBeenPulled(in) && !isClosed(in)) {
              pull(in);
            }
          }
        });
      }

      @Override
      public void preStart() {
        scheduleOnce("deadline", timeout);
        pull(in);
      }

      @Override
      public void onTimer(Object key) {
        if (!headersComplete) {
          onTimeout.run();
          completeStage();
        }
      }
    };
  }
}
