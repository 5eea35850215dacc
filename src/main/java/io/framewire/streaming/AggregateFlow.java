package io.framewire.streaming;

import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.StreamLimitReachedException;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;

/**
 * Stage 1, aggregate: turns each WebSocket message into one complete frame's bytes. A message that
 * arrives fragmented is assembled, but never beyond the frame size limit: the assembly stops at the
 * first chunk over it. Text messages are refused ({@code invalid_message}).
 *
 * <p>Fragments are drained inside the connection's own stream ({@code flatMapConcat}), not in a
 * side stream: a side stream per frame costs an actor, and its future's callbacks a thread hand-off
 * (measured in docs/benchmarks.md); a strict message costs no sub-stream at all.
 */
public final class AggregateFlow {

  private AggregateFlow() {}

  public static Flow<Message, Inbound, NotUsed> flow(FrameValidator validator) {
    return Flow.<Message>create().flatMapConcat(message -> aggregate(message, validator)).named("aggregate");
  }

  static Source<Inbound, ?> aggregate(Message message, FrameValidator validator) {
    if (message.isText()) {
      Inbound refused = StreamError.invalidMessage(
          "text messages are not accepted; send each JPEG frame as one binary message");
      if (message.asTextMessage().isStrict()) {
        return Source.single(refused);
      }
      // Don't read a text message we are going to refuse: take(0) cancels its stream at once.
      return message.asTextMessage().getStreamedText().take(0).map(ignored -> refused).concat(Source.single(refused));
    }
    BinaryMessage binary = message.asBinaryMessage();
    int limit = validator.maxFrameBytes();
    if (binary.isStrict()) {
      ByteString data = binary.getStrictData();
      return Source.single(data.size() > limit ? validator.tooLarge(data.size()) : new Inbound.Bytes(data.toArrayUnsafe()));
    }
    return binary.getStreamedData()
        .limitWeighted(limit, chunk -> (long) chunk.size())
        .fold(ByteString.emptyByteString(), ByteString::concat)
        .<Inbound>map(all -> new Inbound.Bytes(all.toArrayUnsafe()))
        .recover(StreamLimitReachedException.class, validator::streamedTooLarge)
        .recover(Throwable.class, () -> StreamError.invalidMessage("the message could not be read completely"));
  }
}
