package io.framewire.net;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SubscriptionWithCancelException;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.stream.stage.TimerGraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * One accepted TCP connection as a flow: the bytes pushed in are written to the socket, the bytes
 * read from it come out. It replaces Pekko IO's connection actor for the public port, so that a
 * connection exists as an actor or stream only once {@link ConnectionGuard} has admitted it.
 *
 * <p>Reads and writes are non-blocking and run in the stage; when one finds no data or no room, the
 * stage asks its {@link SocketSelector} to tell it when there is. Backpressure both ways: a read is
 * made only when downstream pulls (into one buffer that grows from {@value #MIN_READ} to
 * {@value #MAX_READ} bytes while reads fill it and shrinks when they do not, so an idle connection
 * holds little), and the next element is pulled only when the previous one is fully written.
 *
 * <p>Ending, as Pekko's server-side TCP stage without half-close, which aborts what did not end
 * normally: a failure of the written stream (the connection's kill switch, the idle timeout), a
 * cancellation of the read stream with a failure, a failed read or write, or the stage being
 * stopped any other way resets the socket (SO_LINGER 0: RST, unsent bytes dropped, the peer's next
 * read or write fails). The peer's end of stream completes the read side while writing goes on.
 * The end of the written stream, once its bytes are written, sends a FIN; if the peer has not
 * closed its side too within {@code linger} (pekko-http's {@code linger-timeout}: a peer that does
 * not read leaves the FIN stuck behind unsent bytes), the socket is reset.
 */
final class SocketFlow extends GraphStage<FlowShape<ByteString, ByteString>> {

  static final int MIN_READ = 4 * 1024;
  static final int MAX_READ = 128 * 1024;
  /** Reads per readiness while lingering (what the peer sends then is dropped). */
  private static final int DRAIN_READS = 16;

  private final Inlet<ByteString> in = Inlet.create("SocketFlow.in");
  private final Outlet<ByteString> out = Outlet.create("SocketFlow.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final SocketChannel channel;
  private final SocketSelector selector;
  private final Optional<Duration> linger;

  /**
   * @param channel a connected, non-blocking socket, owned by the flow from now on
   * @param linger how long a FIN sent at the normal end may wait for the peer's before a reset
   *     (empty: as long as it takes)
   */
  SocketFlow(SocketChannel channel, SocketSelector selector, Optional<Duration> linger) {
    this.channel = channel;
    this.selector = selector;
    this.linger = linger;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  /** Closes {@code channel} with a reset (RST) rather than a FIN; never throws. */
  static void reset(SocketChannel channel) {
    try {
      channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException | RuntimeException alreadyClosed) {
      // closing below is all that is left to do
    }
    closeQuietly(channel);
  }

  static void closeQuietly(SocketChannel channel) {
    try {
      channel.close();
    } catch (IOException | RuntimeException ignored) {
      // the descriptor is released either way
    }
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      private ByteBuffer readBuffer = ByteBuffer.allocate(MIN_READ);
      private ByteBuffer[] writing; // the element being written, null when none
      private SelectionKey key;
      private boolean peerClosed; // its end of stream was read
      private boolean lingering; // FIN sent, waiting for the peer's
      private boolean closed;

      private final AsyncCallback<Integer> ready = createAsyncCallback(this::onReady);

      {
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            read();
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            if (!(cause instanceof SubscriptionWithCancelException.NonFailureCancellation)) {
              fail(cause);
            } else if (isClosed(in) && writing == null) {
              finish();
            }
            // else reading stops; writing goes on until the written stream ends
          }
        });
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            List<ByteBuffer> buffers = new ArrayList<>();
            grab(in).getByteBuffers().forEach(buffers::add);
            writing = buffers.toArray(new ByteBuffer[0]);
            write();
          }

          @Override
          public void onUpstreamFinish() {
            if (writing == null) {
              finish();
            }
          }

          @Override
          public void onUpstreamFailure(Throwable cause) {
            fail(cause);
          }
        });
      }

      @Override
      public void preStart() {
        try {
          // The selector thread only hands readiness to the stage.
          key = selector.register(channel, ops -> ready.invoke(ops));
        } catch (IOException e) {
          fail(e);
          return;
        }
        pull(in);
      }

      @Override
      public void postStop() {
        if (!closed) {
          close(true); // stopped without a normal end (a failure, the materializer shut down)
        }
      }

      @Override
      public void onTimer(Object timerKey) {
        // The peer did not close within the linger time: it may not be reading at all.
        close(true);
        completeStage();
      }

      private void onReady(int ops) {
        if (closed) {
          return;
        }
        if ((ops & SelectionKey.OP_READ) != 0) {
          if (lingering) {
            drain();
          } else if (isAvailable(out)) {
            read();
          }
        }
        if ((ops & SelectionKey.OP_WRITE) != 0 && writing != null) {
          write();
        }
      }

      private void read() {
        int n;
        readBuffer.clear();
        try {
          n = channel.read(readBuffer);
        } catch (IOException e) {
          fail(e);
          return;
        }
        if (n < 0) {
          peerClosed = true;
          complete(out); // the peer's end of stream; writing goes on
          if (isClosed(in) && writing == null) {
            finish();
          }
          return;
        }
        if (n == 0) {
          selector.interest(key, SelectionKey.OP_READ);
          return;
        }
        readBuffer.flip();
        ByteString bytes = ByteString.fromByteBuffer(readBuffer);
        int capacity = readBuffer.capacity();
        if (n == capacity && capacity < MAX_READ) {
          readBuffer = ByteBuffer.allocate(capacity * 2);
        } else if (n < capacity / 4 && capacity > MIN_READ) {
          readBuffer = ByteBuffer.allocate(capacity / 2);
        }
        push(out, bytes);
      }

      private void write() {
        try {
          while (channel.write(writing) > 0 && remaining()) {
            // the kernel took some: offer the rest at once
          }
        } catch (IOException e) {
          fail(e);
          return;
        }
        if (remaining()) {
          selector.interest(key, SelectionKey.OP_WRITE);
          return;
        }
        writing = null;
        if (isClosed(in)) {
          finish();
        } else {
          pull(in);
        }
      }

      private boolean remaining() {
        for (ByteBuffer buffer : writing) {
          if (buffer.hasRemaining()) {
            return true;
          }
        }
        return false;
      }

      /** Everything is written and the written stream ended: FIN, then wait for the peer's. */
      private void finish() {
        if (lingering || closed) {
          return;
        }
        if (peerClosed) {
          close(false); // the peer has closed its side: nothing to wait for
          completeStage();
          return;
        }
        try {
          channel.shutdownOutput();
        } catch (IOException e) {
          fail(e);
          return;
        }
        lingering = true;
        setKeepGoing(true);
        if (!isClosed(out)) {
          complete(out);
        }
        linger.ifPresent(bound -> scheduleOnce("linger", bound));
        drain();
      }

      /** While lingering: reads and drops what the peer still sends, until its end of stream. */
      private void drain() {
        int n = 0;
        try {
          // A few reads per readiness, so that a peer that keeps sending cannot hold the thread.
          for (int i = 0; i < DRAIN_READS; i++) {
            readBuffer.clear();
            n = channel.read(readBuffer);
            if (n <= 0) {
              break;
            }
          }
        } catch (IOException e) {
          close(true);
          completeStage();
          return;
        }
        if (n < 0) {
          close(false);
          completeStage();
        } else {
          selector.interest(key, SelectionKey.OP_READ);
        }
      }

      private void fail(Throwable cause) {
        close(true);
        failStage(cause);
      }

      private void close(boolean reset) {
        if (closed) {
          return;
        }
        closed = true;
        if (key != null) {
          selector.cancel(key);
        }
        if (reset) {
          reset(channel);
        } else {
          closeQuietly(channel);
        }
      }
    };
  }
}
