package io.framewire.net;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.FlowShape;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * One accepted TCP connection as a flow: the bytes pushed in are written to the socket, the bytes
 * read from it come out. It replaces Pekko IO's connection actor for the public port, so that a
 * connection exists as an actor or stream only once {@link ConnectionGuard} has admitted it.
 *
 * <p>Backpressure both ways: a read is started only when downstream pulls (at most one at a time,
 * into one buffer that grows from {@value #MIN_READ} to {@value #MAX_READ} bytes while reads fill it
 * and shrinks when they do not, so an idle connection holds little), and the next element is pulled
 * only when the previous one is fully written.
 *
 * <p>Ending, as Pekko's server-side TCP stage without half-close: the end of the written stream
 * closes the socket once its bytes are written (a FIN); the peer's end of stream completes the read
 * side while writing goes on until the written stream ends (pekko-http then finishes its answers);
 * a failure of the written stream (the connection's kill switch, the idle timeout) or of a read or
 * write resets the socket (SO_LINGER 0: RST, queued bytes dropped). The socket is closed whenever
 * the stage stops, however it stops.
 */
final class SocketFlow extends GraphStage<FlowShape<ByteString, ByteString>> {

  static final int MIN_READ = 4 * 1024;
  static final int MAX_READ = 128 * 1024;

  private final Inlet<ByteString> in = Inlet.create("SocketFlow.in");
  private final Outlet<ByteString> out = Outlet.create("SocketFlow.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final AsynchronousSocketChannel channel;

  SocketFlow(AsynchronousSocketChannel channel) {
    this.channel = channel;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  /** Closes {@code channel} with a reset (RST) rather than a FIN; never throws. */
  static void reset(AsynchronousSocketChannel channel) {
    try {
      channel.setOption(StandardSocketOptions.SO_LINGER, 0);
    } catch (IOException | RuntimeException alreadyClosed) {
      // closing below is all that is left to do
    }
    closeQuietly(channel);
  }

  static void closeQuietly(AsynchronousSocketChannel channel) {
    try {
      channel.close();
    } catch (IOException | RuntimeException ignored) {
      // the descriptor is released either way (the group may have been shut down with it)
    }
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new GraphStageLogic(shape) {
      private ByteBuffer readBuffer = ByteBuffer.allocate(MIN_READ);
      private boolean reading;
      private ByteBuffer[] writing; // the element being written, null when none
      private boolean resetOnClose;

      private final AsyncCallback<Integer> readDone = createAsyncCallback(this::onRead);
      private final AsyncCallback<Long> writeDone = createAsyncCallback(written -> onWritten());
      private final AsyncCallback<Throwable> ioFailed = createAsyncCallback(this::onIoFailure);

      // The handlers run on the channel group's threads: they only hand the result to the stage.
      private final CompletionHandler<Integer, Void> onRead = new CompletionHandler<>() {
        @Override
        public void completed(Integer n, Void attachment) {
          readDone.invoke(n);
        }

        @Override
        public void failed(Throwable e, Void attachment) {
          ioFailed.invoke(e);
        }
      };
      private final CompletionHandler<Long, Void> onWrite = new CompletionHandler<>() {
        @Override
        public void completed(Long n, Void attachment) {
          writeDone.invoke(n);
        }

        @Override
        public void failed(Throwable e, Void attachment) {
          ioFailed.invoke(e);
        }
      };

      {
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            read();
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            // Reading stops (a pending read's bytes are dropped); writing goes on until the written
            // stream ends, as for a peer's end of stream.
            if (isClosed(in) && writing == null) {
              completeStage();
            }
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
              completeStage();
            }
          }

          @Override
          public void onUpstreamFailure(Throwable cause) {
            resetOnClose = true;
            failStage(cause);
          }
        });
      }

      @Override
      public void preStart() {
        pull(in);
      }

      @Override
      public void postStop() {
        if (resetOnClose) {
          reset(channel);
        } else {
          closeQuietly(channel);
        }
      }

      private void read() {
        if (reading) {
          return;
        }
        reading = true;
        readBuffer.clear();
        try {
          channel.read(readBuffer, null, onRead);
        } catch (RuntimeException e) {
          onIoFailure(e);
        }
      }

      private void onRead(int n) {
        reading = false;
        if (isClosed(out)) {
          return; // nobody reads any more: the bytes are dropped
        }
        if (n < 0) {
          complete(out);
          if (isClosed(in) && writing == null) {
            completeStage();
          }
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
        if (n == 0) {
          read();
        } else {
          push(out, bytes);
        }
      }

      private void write() {
        try {
          channel.write(writing, 0, writing.length, 0, TimeUnit.MILLISECONDS, null, onWrite);
        } catch (RuntimeException e) {
          onIoFailure(e);
        }
      }

      private void onWritten() {
        for (ByteBuffer buffer : writing) {
          if (buffer.hasRemaining()) {
            write();
            return;
          }
        }
        writing = null;
        if (isClosed(in)) {
          completeStage(); // everything written: close with a FIN
        } else {
          pull(in);
        }
      }

      private void onIoFailure(Throwable e) {
        resetOnClose = true;
        failStage(e);
      }
    };
  }
}
