package io.framewire.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.io.Inet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public port's listening socket and the thread that accepts from it: every accepted socket is
 * asked to {@link ConnectionGuard#admit}, a refused one is reset at once (SO_LINGER 0: no byte read
 * or written, no actor, stream or TLS engine created), an admitted one gets pekko-http's server
 * socket options and goes to {@code serve}, which registers it with this listener's
 * {@link SocketSelector}. Accepting is a blocking call on a thread of its own, so a refusal costs a
 * few system calls (accept, setsockopt, close) and nothing else.
 *
 * <p>NIO {@link SocketChannel}s, not the JDK's asynchronous channels: those do not support
 * SO_LINGER, IP_TOS or SO_OOBINLINE, so they can neither reset a connection nor apply all of
 * {@code pekko.http.server.socket-options}.
 */
final class AcceptLoop {

  /** What to do with an admitted socket; it owns the socket and must release the guard's slot. */
  @FunctionalInterface
  interface Serve {
    void serve(SocketChannel channel, InetSocketAddress remote, SocketSelector selector) throws Exception;
  }

  /** After an accept failed (out of descriptors: EMFILE), the next is tried this much later. */
  private static final Duration ACCEPT_RETRY = Duration.ofMillis(100);

  private static final Logger log = LoggerFactory.getLogger(AcceptLoop.class);
  private static final AtomicInteger LOOPS = new AtomicInteger();

  private final ServerSocketChannel server;
  private final SocketSelector selector;
  private final ConnectionGuard guard;
  private final Iterable<Inet.SocketOption> options;
  private final Serve serve;
  private final InetSocketAddress localAddress;
  private long lastFailureLog = Long.MIN_VALUE; // accept thread only

  private AcceptLoop(ServerSocketChannel server, SocketSelector selector, ConnectionGuard guard,
      Iterable<Inet.SocketOption> options, Serve serve) throws IOException {
    this.server = server;
    this.selector = selector;
    this.guard = guard;
    this.options = options;
    this.serve = serve;
    this.localAddress = (InetSocketAddress) server.getLocalAddress();
  }

  /**
   * Binds {@code host:port} with an accept queue of {@code backlog}, {@code options} applied as
   * Pekko IO's {@code Tcp.bind} applies them (to the listening socket before binding, to each
   * accepted socket), and starts accepting.
   */
  static AcceptLoop bind(String host, int port, int backlog, Iterable<Inet.SocketOption> options,
      ConnectionGuard guard, Serve serve) throws IOException {
    int id = LOOPS.incrementAndGet();
    ServerSocketChannel server = ServerSocketChannel.open();
    SocketSelector selector = null;
    try {
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      for (Inet.SocketOption option : options) {
        option.beforeServerSocketBind(server.socket());
      }
      server.bind(new InetSocketAddress(host, port), backlog);
      for (Inet.SocketOption option : options) {
        if (option instanceof Inet.SocketOptionV2 afterBind) {
          afterBind.afterBind(server.socket());
        }
      }
      selector = new SocketSelector("framewire-socket-" + id);
      AcceptLoop loop = new AcceptLoop(server, selector, guard, options, serve);
      Thread thread = new Thread(loop::run, "framewire-accept-" + id);
      thread.setDaemon(true);
      thread.start();
      return loop;
    } catch (IOException | RuntimeException e) {
      server.close();
      if (selector != null) {
        selector.shutdownNow();
      }
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

  /** Unbinds and resets every connection still open (the actor system has terminated). */
  void shutdownNow() {
    unbind();
    selector.shutdownNow();
  }

  private void run() {
    while (server.isOpen()) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (ClosedChannelException unbound) {
        return;
      } catch (IOException e) {
        acceptFailed(e);
        continue;
      }
      try {
        handle(channel);
      } catch (RuntimeException | LinkageError e) {
        // Never let one connection end the accept loop: that would stop the server accepting.
        SocketFlow.reset(channel);
        log.warn("could not handle an accepted connection: {}", e.toString());
      }
    }
  }

  private void acceptFailed(IOException e) {
    long now = System.nanoTime();
    if (lastFailureLog == Long.MIN_VALUE || now - lastFailureLog > TimeUnit.MINUTES.toNanos(1)) {
      lastFailureLog = now;
      log.warn("accepting a connection failed: {}; retrying every {} ms while it does", e.toString(),
          ACCEPT_RETRY.toMillis());
    }
    // Out of descriptors (EMFILE) fails every accept until one is freed: retry later, not in a loop.
    try {
      Thread.sleep(ACCEPT_RETRY.toMillis());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      unbind();
    }
  }

  private void handle(SocketChannel channel) {
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
      channel.configureBlocking(false);
      // As Pekko IO does unless tcp-no-delay says otherwise: no Nagle delay for small answers.
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      for (Inet.SocketOption option : options) {
        option.afterConnect(channel.socket());
      }
      serve.serve(channel, remote, selector);
    } catch (Exception | LinkageError e) {
      guard.release(address);
      SocketFlow.reset(channel);
      log.warn("could not set up a connection from {}: {}", address.getHostAddress(), e.toString());
    }
  }
}
