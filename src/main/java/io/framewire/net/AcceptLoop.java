package io.framewire.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ShutdownChannelGroupException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public port's listening socket and the loop that accepts from it: every accepted socket is
 * asked to {@link ConnectionGuard#admit}, a refused one is reset at once (SO_LINGER 0: no byte read
 * or written, no actor, stream or TLS engine created), an admitted one goes to {@code serve}. The
 * sockets are JDK asynchronous channels on a small group of threads of their own (see
 * {@link #IO_THREADS}); one accept is outstanding at a time and the next starts when the previous
 * socket is dealt with, so a refusal costs a few system calls (accept, setsockopt, close).
 */
final class AcceptLoop implements CompletionHandler<AsynchronousSocketChannel, Void> {

  /** What to do with an admitted socket; it owns the socket and must release the guard's slot. */
  @FunctionalInterface
  interface Serve {
    void serve(AsynchronousSocketChannel channel, InetSocketAddress remote) throws Exception;
  }

  /**
   * Threads that wait for socket readiness and run the completion handlers (which only hand results
   * to the connections' streams): Pekko IO used one selector thread for all connections; two let the
   * accept loop go on while the other moves bytes.
   */
  static final int IO_THREADS = 2;
  /** After an accept failed (out of descriptors: EMFILE), the next is tried this much later. */
  private static final Duration ACCEPT_RETRY = Duration.ofMillis(100);

  private static final Logger log = LoggerFactory.getLogger(AcceptLoop.class);
  private static final AtomicInteger GROUPS = new AtomicInteger();

  private final AsynchronousChannelGroup group;
  private final AsynchronousServerSocketChannel server;
  private final ConnectionGuard guard;
  private final Serve serve;
  private final InetSocketAddress localAddress;
  private final AtomicLong lastFailureLog = new AtomicLong(Long.MIN_VALUE);

  private AcceptLoop(
      AsynchronousChannelGroup group, AsynchronousServerSocketChannel server, ConnectionGuard guard, Serve serve) {
    this.group = group;
    this.server = server;
    this.guard = guard;
    this.serve = serve;
    try {
      this.localAddress = (InetSocketAddress) server.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("the public port closed while binding", e);
    }
  }

  /** Binds {@code host:port} with an accept queue of {@code backlog} and starts accepting. */
  static AcceptLoop bind(String host, int port, int backlog, ConnectionGuard guard, Serve serve) throws IOException {
    int id = GROUPS.incrementAndGet();
    AtomicInteger threads = new AtomicInteger();
    ThreadFactory factory = runnable -> {
      Thread thread = new Thread(runnable, "framewire-socket-" + id + "-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(IO_THREADS, factory);
    try {
      AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open(group);
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(new InetSocketAddress(host, port), backlog);
      AcceptLoop loop = new AcceptLoop(group, server, guard, serve);
      loop.acceptNext();
      return loop;
    } catch (IOException | RuntimeException e) {
      group.shutdownNow();
      throw e;
    }
  }

  /** The bound address (also after {@link #unbind}, as pekko's binding tells it). */
  InetSocketAddress localAddress() {
    return localAddress;
  }

  /** Stops accepting: the listening socket is closed; open connections go on. */
  void unbind() {
    try {
      server.close();
    } catch (IOException ignored) {
      // closed either way
    }
  }

  /** Unbinds and lets the I/O threads end once the last connection is closed. */
  void shutdown() {
    unbind();
    group.shutdown();
  }

  /** Unbinds and closes every socket of the group now (the actor system has terminated). */
  void shutdownNow() {
    unbind();
    try {
      group.shutdownNow();
    } catch (IOException ignored) {
      // the threads end either way
    }
  }

  private void acceptNext() {
    try {
      server.accept(null, this);
    } catch (ShutdownChannelGroupException stopped) {
      // shut down: nothing more to accept
    }
  }

  @Override
  public void completed(AsynchronousSocketChannel channel, Void attachment) {
    try {
      handle(channel);
    } finally {
      acceptNext();
    }
  }

  @Override
  public void failed(Throwable e, Void attachment) {
    if (e instanceof ClosedChannelException || !server.isOpen()) {
      return; // unbound
    }
    long now = System.nanoTime();
    long last = lastFailureLog.get();
    if ((last == Long.MIN_VALUE || now - last > TimeUnit.MINUTES.toNanos(1)) && lastFailureLog.compareAndSet(last, now)) {
      log.warn("accepting a connection failed: {}; retrying every {} ms while it does", e.toString(),
          ACCEPT_RETRY.toMillis());
    }
    // Out of descriptors (EMFILE) fails every accept until one is freed: retry later, not in a loop.
    CompletableFuture.delayedExecutor(ACCEPT_RETRY.toMillis(), TimeUnit.MILLISECONDS).execute(this::acceptNext);
  }

  private void handle(AsynchronousSocketChannel channel) {
    InetSocketAddress remote;
    try {
      SocketAddress address = channel.getRemoteAddress();
      if (!(address instanceof InetSocketAddress inet)) {
        SocketFlow.reset(channel);
        return;
      }
      remote = inet;
    } catch (IOException gone) {
      SocketFlow.reset(channel);
      return;
    }
    InetAddress address = remote.getAddress();
    if (guard.admit(address).isPresent()) {
      SocketFlow.reset(channel);
      return;
    }
    try {
      serve.serve(channel, remote);
    } catch (Exception | LinkageError e) {
      // Never let one connection end the accept loop: that would stop the server accepting.
      guard.release(address);
      SocketFlow.reset(channel);
      log.warn("could not set up a connection from {}: {}", address.getHostAddress(), e.toString());
    }
  }
}
