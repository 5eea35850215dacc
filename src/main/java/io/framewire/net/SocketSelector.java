package io.framewire.net;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that waits for the public port's sockets to be readable or writable and tells their
 * {@link SocketFlow}s; it reads and writes nothing itself (the streams do, on their own threads).
 * A key's interest is set by its flow when a read or write found no room, and cleared here when it
 * fires, so every readiness is reported once.
 */
final class SocketSelector {

  /** Told the ready operations ({@link SelectionKey#OP_READ}, {@link SelectionKey#OP_WRITE}). */
  @FunctionalInterface
  interface Ready {
    void ready(int ops);
  }

  private static final Logger log = LoggerFactory.getLogger(SocketSelector.class);

  private final Selector selector;
  private final Thread thread;
  private volatile boolean running = true;
  /** A wake-up was asked for since the selector last woke (cleared before each select). */
  private final AtomicBoolean wakeupPending = new AtomicBoolean();

  SocketSelector(String name) throws IOException {
    this.selector = Selector.open();
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Registers a non-blocking {@code channel} with no interest yet. */
  SelectionKey register(SocketChannel channel, Ready ready) throws ClosedChannelException {
    SelectionKey key = channel.register(selector, 0, ready);
    wakeup();
    return key;
  }

  /** Asks to be told once when {@code ops} are ready. */
  void interest(SelectionKey key, int ops) {
    try {
      // interestOps is read-modify-write here and in the selector thread: one lock per key.
      synchronized (key) {
        key.interestOps(key.interestOps() | ops);
      }
      wakeup();
    } catch (CancelledKeyException closed) {
      // the connection is closed: nothing to wait for
    }
  }

  /**
   * Wakes the selector so that it selects with the new interests; once per round of selection: the
   * interests changed meanwhile are all applied by the one select that follows, so the write to the
   * selector's wake-up descriptor (a system call, and a thread woken) is made only when needed.
   */
  private void wakeup() {
    if (!wakeupPending.getAndSet(true)) {
      selector.wakeup();
    }
  }

  /** Deregisters {@code key}; a closed channel's descriptor is released when the selector has done so. */
  void cancel(SelectionKey key) {
    key.cancel();
    wakeup();
  }

  /** Stops the thread and resets every socket still registered (the server is stopped). */
  void shutdownNow() {
    running = false;
    selector.wakeup(); // always: a coalesced wake-up may be pending from before running was cleared
  }

  private void run() {
    try {
      while (running) {
        // Cleared before selecting: an interest set after this wakes the select below, one set
        // before it is applied by the select itself.
        wakeupPending.set(false);
        selector.select(key -> {
          int ready;
          try {
            synchronized (key) {
              ready = key.readyOps();
              key.interestOps(key.interestOps() & ~ready);
            }
          } catch (CancelledKeyException closed) {
            return;
          }
          ((Ready) key.attachment()).ready(ready);
        });
      }
    } catch (IOException | RuntimeException e) {
      log.error("the public port's socket selector failed: {}", e.toString());
    } finally {
      try {
        for (SelectionKey key : selector.keys()) {
          SocketFlow.reset((SocketChannel) key.channel());
        }
        selector.close();
      } catch (IOException | ClosedSelectorException ignored) {
        // closed either way
      }
    }
  }
}
