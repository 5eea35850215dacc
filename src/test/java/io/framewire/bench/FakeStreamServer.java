package io.framewire.bench;

import static org.apache.pekko.http.javadsl.server.Directives.handleWebSocketMessages;
import static org.apache.pekko.http.javadsl.server.Directives.path;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * A scripted stand-in for framewire's streaming endpoint, on 127.0.0.1 only: for frame N of a
 * session it sends {@code script.apply(N)}; a message containing {@code "error"} is the last one,
 * after which the server closes the connection, as framewire does. Only the path
 * {@code /ws/video/stream} exists, so other paths are refused at the handshake.
 */
final class FakeStreamServer implements AutoCloseable {

  private final ActorSystem system;
  private final ServerBinding binding;

  FakeStreamServer(LongFunction<List<String>> script) throws Exception {
    system = ActorSystem.create("fake-stream");
    Flow<Message, Message, ?> flow = Flow.<Message>create()
        .flatMapConcat(BareEchoServer::frames)
        .zipWithIndex()
        .mapConcat(pair -> script.apply(pair.second()))
        .takeWhile(text -> !text.contains("\"error\""), true)
        .map(text -> (Message) TextMessage.create(text));
    binding = Http.get(system)
        .newServerAt("127.0.0.1", 0)
        .bind(path(PathMatchers.segment("ws").slash("video").slash("stream"),
            () -> handleWebSocketMessages(flow)))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  String url(String path) {
    return "ws://127.0.0.1:" + binding.localAddress().getPort() + path;
  }

  @Override
  public void close() throws Exception {
    binding.terminate(Duration.ofSeconds(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
