package io.framewire.net;

import org.apache.pekko.http.javadsl.model.AttributeKey;

/**
 * A handle that resets (aborts) the TCP connection a session's WebSocket runs on, given to the
 * session by whoever owns the connection. Used when the session detects a stalled client: pekko-http
 * cannot write a close frame to a socket whose client does not read, so without an abort the
 * connection would linger until the HTTP idle timeout. Also told when a session ended with client
 * data left unread, so that the close handshake after it is bounded ({@link #endedWithUnreadInput()}).
 *
 * <p>The streaming package owns this interface and the request attribute it travels in, so it does
 * not depend on the code below the routes: the public listener ({@code io.framewire.server}) puts one
 * on every request of a connection, the stream route passes it on, a server without one (the route
 * testkit) gets {@link #NONE}.
 */
@FunctionalInterface
public interface ConnectionAbort {

  /** The request attribute under which the connection's abort travels to the routes. */
  AttributeKey<ConnectionAbort> ATTRIBUTE = AttributeKey.create("framewire-connection-abort", ConnectionAbort.class);

  /** Nothing to abort (no connection below, or not reachable): the idle timeout remains the fallback. */
  ConnectionAbort NONE = cause -> {};

  /** Resets the connection now, dropping whatever is still queued for it; safe to call more than once. */
  void abort(Throwable cause);

  /**
   * The session on this connection has ended leaving client data unread (the rest of an oversized
   * frame); its last answer and pekko-http's close frame are on their way. That unread data keeps
   * pekko-http from reading the client's close frame, so the connection used to linger 3–6 s
   * (pekko-http's close timeout, checked every 3 s). The owner of the connection resets it if it has
   * not ended within its close grace ({@code framewire.connections.close-grace-ms}).
   */
  default void endedWithUnreadInput() {}
}
