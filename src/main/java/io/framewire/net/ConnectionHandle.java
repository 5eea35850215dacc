package io.framewire.net;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.stream.SharedKillSwitch;
import scala.concurrent.ExecutionContext;

/**
 * One connection's {@link ConnectionAbort}, made by {@link PublicListener} for every accepted
 * connection: aborting fails the connection's TCP flow through its own kill switch (the socket is
 * reset, queued bytes dropped); after its session ended with client data unread, the connection is
 * reset unless it has ended by itself within the close grace. Thread-safe: called from the session's stream and from
 * the connection's termination.
 */
final class ConnectionHandle implements ConnectionAbort {

  /** Given to the kill switch when the close grace ran out; only seen in debug logs. */
  static final class CloseGraceExpired extends RuntimeException {
    CloseGraceExpired(Duration grace) {
      super("the close handshake did not finish within " + grace.toMillis() + " ms of the session's end",
          null, false, false);
    }
  }

  private final SharedKillSwitch connection;
  private final Duration closeGrace;
  private final Scheduler scheduler;
  private final ExecutionContext executor;
  private final AtomicBoolean ended = new AtomicBoolean();
  private final AtomicReference<Cancellable> graceTimer = new AtomicReference<>();

  ConnectionHandle(SharedKillSwitch connection, Duration closeGrace, Scheduler scheduler, ExecutionContext executor) {
    this.connection = connection;
    this.closeGrace = closeGrace;
    this.scheduler = scheduler;
    this.executor = executor;
  }

  @Override
  public void abort(Throwable cause) {
    connection.abort(cause);
  }

  @Override
  public void endedWithUnreadInput() {
    if (ended.get()) {
      return;
    }
    Cancellable timer = scheduler.scheduleOnce(closeGrace, () -> {
      if (!ended.get()) {
        connection.abort(new CloseGraceExpired(closeGrace));
      }
    }, executor);
    Cancellable previous = graceTimer.getAndSet(timer);
    if (previous != null) {
      previous.cancel();
    }
    if (ended.get()) {
      timer.cancel(); // the connection ended meanwhile
    }
  }

  /** The connection's stream has terminated: nothing left to reset. */
  void connectionEnded() {
    ended.set(true);
    Cancellable timer = graceTimer.get();
    if (timer != null) {
      timer.cancel();
    }
  }
}
