package io.framewire.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.TLS;
import org.apache.pekko.stream.javadsl.TLSPlacebo;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public port, bound at the TCP level so that every connection passes {@link ConnectionGuard}
 * before pekko-http sees a byte: {@code Tcp.bind}, then per admitted connection pekko-http's own
 * server layer ({@code Http.serverLayer}: request parsing, header limits, WebSocket upgrade,
 * {@code remote-address-attribute}) over TLS ({@code TLS.create} with the configured certificate)
 * or plain bytes, with pekko's idle timeout, joined to the routes.
 *
 * <p>Why not {@code Http.newServerAt(…).bind(route)}: it admits every connection and gives no hook
 * before the first request, so a client that opens connections and never finishes their headers
 * (slowloris) holds them until the 60 s idle timeout, and {@code max-connections} then locks out
 * everyone. Here each connection starts with a {@link HeaderGate}: if its first request's headers
 * are not complete (for TLS: handshake included) within {@link ConnectionLimits#headerTimeout()},
 * the connection is closed; until they are, pekko-http's server layer is not even materialized, so
 * a held connection costs little. Over the per-address or server-wide limit, a connection is closed
 * as soon as it is accepted, without a byte read or written. Later requests on a kept-alive
 * connection and upgraded WebSockets are bounded by pekko's idle timeout and the session timeouts.
 */
public final class PublicListener {

  private static final Logger log = LoggerFactory.getLogger(PublicListener.class);

  /** Bytes of an unfinished header block held back from pekko-http; beyond, its own limits (431) apply. */
  private static final int MAX_HELD_BYTES = 16 * 1024;

  private final Tcp.ServerBinding binding;
  private final SharedKillSwitch allConnections;

  private PublicListener(Tcp.ServerBinding binding, SharedKillSwitch allConnections) {
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
    Duration closeGrace = guard.limits().closeGrace();
    Connections connections = new Connections(system, materializer, settings, routeFlow, guard, tls, idle, closeGrace, all);
    return Tcp.get(system)
        .bind(host, port, settings.getBacklog(), settings.getSocketOptions(), false, Optional.empty())
        .toMat(Sink.foreach(connections::handle), Keep.left())
        .run(materializer)
        .thenApply(binding -> new PublicListener(binding, all));
  }

  public InetSocketAddress localAddress() {
    return binding.localAddress();
  }

  /** Stops accepting new connections; open ones go on. */
  public CompletionStage<Done> unbind() {
    return binding.unbind().thenApply(unbound -> Done.getInstance());
  }

  /** Closes every connection still open (after the sessions have been told and drained). */
  public CompletionStage<Done> terminate() {
    allConnections.shutdown();
    return CompletableFuture.completedFuture(Done.getInstance());
  }

  /** What is shared by all connections of one listener; {@link #handle} runs once per accepted connection. */
  private record Connections(
      ActorSystem<?> system,
      Materializer materializer,
      ServerSettings settings,
      Flow<HttpRequest, HttpResponse, NotUsed> routeFlow,
      ConnectionGuard guard,
      Optional<SSLContext> tls,
      Optional<Duration> idleTimeout,
      Duration closeGrace,
      SharedKillSwitch all) {

    private static final Flow<ByteString, ByteString, NotUsed> CLOSE =
        Flow.fromSinkAndSource(Sink.cancelled(), Source.empty());

    void handle(Tcp.IncomingConnection connection) {
      InetSocketAddress remote = connection.remoteAddress();
      InetAddress address = remote.getAddress();
      if (guard.admit(address).isPresent()) {
        connection.handleWith(CLOSE, materializer);
        return;
      }
      try {
        serve(connection, remote, address);
      } catch (RuntimeException e) {
        // Never let one connection end the accept stream: that would stop the server accepting.
        guard.release(address);
        log.warn("could not set up a connection from {}: {}", address.getHostAddress(), e.toString());
      }
    }

    private void serve(Tcp.IncomingConnection connection, InetSocketAddress remote, InetAddress address) {
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
      connection.handleWith(bytes, materializer);
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
