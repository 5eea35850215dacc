package io.framewire.streaming;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.StreamLimitReachedException;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;

/**
 * Stage 1, aggregate: turns each WebSocket message into one complete frame's bytes. A message that
 * arrives fragmented is assembled, but never beyond the frame size limit: the assembly stops at the
 * first byte over it. Text messages are refused ({@code invalid_message}).
 */
public final class AggregateStage {

  private AggregateStage() {}

  public static Flow<Message, Inbound, NotUsed> flow(FrameValidator validator, Materializer materializer) {
    return Flow.<Message>create()
        .mapAsync(1, message -> aggregate(message, validator, materializer))
        .named("aggregate");
  }

  static CompletionStage<Inbound> aggregate(Message message, FrameValidator validator, Materializer materializer) {
    if (message.isText()) {
      // Don't read a text message we are going to refuse; cancelling its stream discards it.
      if (!message.asTextMessage().isStrict()) {
        message.asTextMessage().getStreamedText().runWith(Sink.cancelled(), materializer);
      }
      return CompletableFuture.completedFuture(StreamError.invalidMessage(
          "text messages are not accepted; send each JPEG frame as one binary message"));
    }
    BinaryMessage binary = message.asBinaryMessage();
    int limit = validator.maxFrameBytes();
    if (binary.isStrict()) {
      ByteString data = binary.getStrictData();
      return CompletableFuture.completedFuture(
          data.size() > limit ? validator.tooLarge(data.size()) : new Inbound.Bytes(data.toArrayUnsafe()));
    }
    return binary.getStreamedData()
        .limitWeighted(limit, chunk -> (long) chunk.size())
        .runFold(ByteString.emptyByteString(), ByteString::concat, materializer)
        .<Inbound>thenApply(all -> new Inbound.Bytes(all.toArrayUnsafe()))
        .exceptionally(failure -> unwrap(failure) instanceof StreamLimitReachedException
            ? validator.fragmentedTooLarge()
            : StreamError.invalidMessage("the message could not be read completely"));
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
