package io.framewire.bench;

import static org.apache.pekko.http.javadsl.server.Directives.handleWebSocketMessages;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
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
 * <p>Two configurations, so both ratios are visible in one benchmark run: by default Pekko's own
 * thread layout ({@link #PLATFORM_TUNING} taken from Pekko's reference.conf: the fixed reference,
 * "pekko-http as configured out of the box"), or with {@code --tuned} framewire's layout from
 * application.conf (the same threads and pools framewire itself runs on).
 *
 * <p>{@code java -cp framewire.jar io.framewire.bench.BareEchoServer [--tuned] [host] [port]}
 * (defaults 127.0.0.1 and a free port); prints {@code listening on HOST:PORT} once bound.
 */
public final class BareEchoServer implements AutoCloseable {

  private final ActorSystem system;
  private final ServerBinding binding;

  private BareEchoServer(ActorSystem system, ServerBinding binding) {
    this.system = system;
    this.binding = binding;
  }

  /** The settings framewire's application.conf tunes for few cores (its "Thread layout" block). */
  static final List<String> PLATFORM_TUNING =
      List.of("pekko.actor.default-dispatcher", "pekko.io.tcp.worker-dispatcher");

  /** The fixed reference: Pekko's defaults for {@link #PLATFORM_TUNING}. */
  public static BareEchoServer start(String host, int port) {
    return start(host, port, false);
  }

  public static BareEchoServer start(String host, int port, boolean tuned) {
    ActorSystem system = ActorSystem.create("bare-echo", config(tuned));
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

  /** application.conf as loaded, or (untuned) with Pekko's reference values for {@link #PLATFORM_TUNING}. */
  static Config config(boolean tuned) {
    Config loaded = io.framewire.server.FramewireServer.withPekkoLogLevel(ConfigFactory.load());
    if (tuned) {
      return loaded;
    }
    Config reference = ConfigFactory.defaultReference();
    Config defaults = ConfigFactory.empty();
    for (String path : PLATFORM_TUNING) {
      defaults = defaults.withValue(path, reference.getValue(path));
    }
    return defaults.withFallback(loaded);
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
    boolean tuned = args.length > 0 && args[0].equals("--tuned");
    int first = tuned ? 1 : 0;
    String host = args.length > first ? args[first] : "127.0.0.1";
    int port = args.length > first + 1 ? Integer.parseInt(args[first + 1]) : 0;
    BareEchoServer server = start(host, port, tuned);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "bare-echo-shutdown"));
    System.out.println("listening on " + server.host() + ":" + server.port() + (tuned ? " (tuned)" : ""));
    System.out.flush();
    server.system.getWhenTerminated().toCompletableFuture().get();
  }
}
