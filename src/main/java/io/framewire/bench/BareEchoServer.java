package io.framewire.bench;

import static org.apache.pekko.http.javadsl.server.Directives.handleWebSocketMessages;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The platform limit: a bare pekko-http WebSocket server that answers every binary message with
 * {@code {"frame_index":N,"result":{}}}, N counting from 0 per connection. No graph, no actors, no
 * decoding, so framewire's overhead over pekko-http is a measured ratio, not a guess. Any path is
 * accepted, so the load tool's framewire URL works unchanged.
 *
 * <p>{@code java -cp framewire.jar io.framewire.bench.BareEchoServer [host] [port]} (defaults
 * 127.0.0.1 and a free port); prints {@code listening on HOST:PORT} once bound.
 */
public final class BareEchoServer implements AutoCloseable {

  private final ActorSystem system;
  private final ServerBinding binding;

  private BareEchoServer(ActorSystem system, ServerBinding binding) {
    this.system = system;
    this.binding = binding;
  }

  public static BareEchoServer start(String host, int port) {
    ActorSystem system = ActorSystem.create("bare-echo");
    try {
      ServerBinding binding = Http.get(system)
          .newServerAt(host, port)
          .bind(handleWebSocketMessages(echoFlow()))
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      return new BareEchoServer(system, binding);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("cannot bind " + host + ":" + port, e);
    }
  }

  /**
   * One answer per binary message; text messages are read and ignored. A message that arrives in
   * pieces is drained with {@code flatMapConcat}, which runs the piece stream inside this
   * connection's own stream: no stream materialized on the side, no actor, no {@code
   * CompletionStage} callback (pekko's Scala-future-backed stages run {@code thenApply} on
   * {@code CompletableFuture}'s default executor, which on a 2-CPU machine starts a new thread per
   * call).
   */
  static Flow<Message, Message, NotUsed> echoFlow() {
    return Flow.<Message>create()
        .flatMapConcat(BareEchoServer::frames)
        .zipWithIndex()
        .map(pair -> (Message) TextMessage.create(
            "{\"frame_index\":" + pair.second() + ",\"result\":{}}"));
  }

  /** One element for a binary message once it is fully read, none for a text message. */
  static Source<Boolean, ?> frames(Message message) {
    if (message.isText()) {
      TextMessage text = message.asTextMessage();
      return text.isStrict()
          ? Source.empty()
          : text.getStreamedText().fold(0, (n, chunk) -> n).flatMapConcat(n -> Source.empty());
    }
    BinaryMessage binary = message.asBinaryMessage();
    return binary.isStrict()
        ? Source.single(true)
        : binary.getStreamedData().fold(0, (n, chunk) -> n).map(n -> true);
  }

  public int port() {
    return binding.localAddress().getPort();
  }

  public String host() {
    return binding.localAddress().getHostString();
  }

  @Override
  public void close() {
    try {
      binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Shutting down anyway.
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Best effort: the JVM is usually exiting.
    }
  }

  public static void main(String[] args) throws Exception {
    String host = args.length > 0 ? args[0] : "127.0.0.1";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    BareEchoServer server = start(host, port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "bare-echo-shutdown"));
    System.out.println("listening on " + server.host() + ":" + server.port());
    System.out.flush();
    server.system.getWhenTerminated().toCompletableFuture().get();
  }
}
