package io.framewire.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SharedKillSwitch;
import org.apache.pekko.stream.TLSClosing;
import org.apache.pekko.stream.TLSProtocol.SslTlsInbound;
import org.apache.pekko.stream.TLSProtocol.SslTlsOutbound;
import org.apache.pekko.stream.javadsl.BidiFlow;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.TLS;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.util.ByteString;

/**
 * The public port, bound at the socket level so that every connection passes {@link ConnectionGuard}
 * before anything is built for it: an own accept loop ({@link AcceptLoop}, NIO sockets) refuses a
 * connection over the per-address or server-wide limit as soon as it is accepted,
 * with a reset and without a byte read or written, at the cost of a few system calls (no actor,
 * stream or TLS engine is created for it, so a burst of refused connections does not delay the
 * others in the accept queue). An admitted socket gets {@code pekko.http.server.socket-options}
 * and becomes a flow of bytes ({@link SocketFlow}; every abnormal end resets it) and
 * gets pekko-http's own server layer ({@code Http.serverLayer}: request parsing, header limits,
 * WebSocket upgrade, {@code remote-address-attribute}) over TLS ({@code TLS.create} with the
 * configured certificate) or plain bytes, with pekko's idle timeout, joined to the routes.
 *
 * <p>Why not {@code Http.newServerAt(…).bind(route)}: it admits every connection and gives no hook
 * before the first request, so a client that opens connections and never finishes their headers
 * (slowloris) holds them until the 60 s idle timeout, and {@code max-connections} then locks out
 * everyone. Why not pekko's {@code Tcp.bind}: Pekko IO creates an actor and a stream for every
 * accepted connection before it can be refused, about 750 refusals a second on two cores, and the
 * honest clients behind a burst wait in the accept queue. Here each admitted connection starts with
 * a {@link HeaderGate}: if its first request's headers are not complete (for TLS: handshake
 * included) within {@link ConnectionLimits#headerTimeout()}, the connection is closed; until they
 * are, pekko-http's server layer is not even materialized, so a held connection costs little. Later
 * requests on a kept-alive connection and upgraded WebSockets are bounded by pekko's idle timeout
 * and the session timeouts.
 */
public final class PublicListener {

  /** Bytes of an unfinished header block held back from pekko-http; beyond, its own limits (431) apply. */
  private static final int MAX_HELD_BYTES = 16 * 1024;

  private final AcceptLoop binding;
  private final SharedKillSwitch allConnections;

  private PublicListener(AcceptLoop binding, SharedKillSwitch allConnections) {
    this.binding = binding;
    this.allConnections = allConnections;
  }

  /**
   * Binds {@code host:port} and serves {@code routes} on every admitted connection.
   *
   * @param tls the server's TLS context (HTTPS and WSS), or empty for plain HTTP and WS
   */
  public static CompletionStage<PublicListener> bind(
      ActorSystem<?> system, String host, int port, Route routes, ConnectionGuard guard, Optional<SSLContext> tls) {
    ServerSettings settings = ServerSettings.create(system.settings().config());
    Materializer materializer = Materializer.matFromSystem(system);
    SharedKillSwitch all = KillSwitches.shared("framewire-connections");
    Flow<HttpRequest, HttpResponse, NotUsed> routeFlow = routes.flow(system);
    scala.concurrent.duration.Duration idleSetting = settings.getTimeouts().idleTimeout();
    Optional<Duration> idle = idleSetting.isFinite()
        ? Optional.of(Duration.ofNanos(idleSetting.toNanos()))
        : Optional.empty();
    scala.concurrent.duration.Duration lingerSetting = settings.getTimeouts().lingerTimeout();
    Optional<Duration> linger = lingerSetting.isFinite()
        ? Optional.of(Duration.ofNanos(lingerSetting.toNanos()))
        : Optional.empty();
    Duration closeGrace = guard.limits().closeGrace();
    Connections connections =
        new Connections(system, materializer, settings, routeFlow, guard, tls, idle, linger, closeGrace, all);
    AcceptLoop loop;
    try {
      // The accept queue is pekko.http.server.backlog (framewire sets 4096; the kernel caps it at
      // net.core.somaxconn): a burst waits there instead of SYNs being dropped.
      loop = AcceptLoop.bind(host, port, settings.getBacklog(), settings.getSocketOptions(), guard, connections::serve);
    } catch (IOException | RuntimeException e) {
      return CompletableFuture.failedFuture(
          new IOException("cannot bind " + host + ":" + port + ": " + e.getMessage(), e));
    }
    // A system stopped without the coordinated shutdown's unbind (tests) must not leave the port bound.
    system.getWhenTerminated().thenRun(loop::shutdownNow);
    return CompletableFuture.completedFuture(new PublicListener(loop, all));
  }

  public InetSocketAddress localAddress() {
    return binding.localAddress();
  }

  /** Stops accepting new connections; open ones go on. */
  public CompletionStage<Done> unbind() {
    binding.unbind();
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  /** Closes every connection still open (after the sessions have been told and drained). */
  public CompletionStage<Done> terminate() {
    allConnections.shutdown();
    binding.unbind();
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  /** What is shared by all connections of one listener; {@link #serve} runs once per admitted connection. */
  private record Connections(
      ActorSystem<?> system,
      Materializer materializer,
      ServerSettings settings,
      Flow<HttpRequest, HttpResponse, NotUsed> routeFlow,
      ConnectionGuard guard,
      Optional<SSLContext> tls,
      Optional<Duration> idleTimeout,
      Optional<Duration> linger,
      Duration closeGrace,
      SharedKillSwitch all) {

    /** Serves an admitted socket; its guard slot is released when its stream ends. */
    void serve(SocketChannel channel, InetSocketAddress remote, SocketSelector selector) {
      InetAddress address = remote.getAddress();
      // Until the first request's headers are complete only the gate runs; then pekko-http's server
      // layer is materialized (lazily) and joined to the routes.
      HeaderGate gate = new HeaderGate(guard.limits().headerTimeout(), MAX_HELD_BYTES,
          () -> guard.refused(address, ConnectionGuard.Reason.HEADER_TIMEOUT));
      // This connection's own switch: aborting it fails the TCP flow, which resets the socket at
      // once (no close handshake, queued bytes dropped). Every request of the connection carries it
      // (ConnectionAbort.ATTRIBUTE), so a session can release a client it found stalled.
      SharedKillSwitch self = KillSwitches.shared("framewire-connection");
      ConnectionHandle abort = new ConnectionHandle(self, closeGrace, system.scheduler(), system.executionContext());
      Flow<HttpRequest, HttpRequest, NotUsed> tagged =
          Flow.<HttpRequest>create().map(request -> request.addAttribute(ConnectionAbort.ATTRIBUTE, abort));
      Flow<SslTlsInbound, SslTlsOutbound, NotUsed> http = Flow.<SslTlsInbound>create()
          .via(gate)
          .via(Flow.lazyFlow(() ->
              tagged.via(routeFlow).join(Http.get(system).serverLayer(settings, Optional.of(remote)))))
          .map(ServerLayerFailure::answer)
          .mapMaterializedValue(ignored -> NotUsed.getInstance());
      BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed> layers = transport();
      if (idleTimeout.isPresent()) {
        layers = layers.atop(BidiFlow.<ByteString, ByteString>bidirectionalIdleTimeout(idleTimeout.get()));
      }
      Flow<ByteString, ByteString, NotUsed> bytes = Flow.<ByteString>create()
          .via(all.flow())
          .via(self.flow())
          .via(http.join(layers))
          .via(self.flow())
          .via(all.flow())
          .watchTermination((notUsed, done) -> {
            done.whenComplete((ok, failure) -> {
              abort.connectionEnded();
              guard.release(address);
            });
            return notUsed;
          });
      Flow.fromGraph(new SocketFlow(channel, selector, linger)).join(bytes).run(materializer);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private BidiFlow<SslTlsOutbound, ByteString, ByteString, SslTlsInbound, NotUsed> transport() {
      if (tls.isEmpty()) {
        // SessionBytes is an SslTlsInbound: the placebo's output type only needs widening.
        return (BidiFlow) TLSPlacebo.getInstance();
      }
      SSLContext context = tls.get();
      return TLS.create(() -> {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        return engine;
      }, TLSClosing.eagerClose());
    }
  }
}
