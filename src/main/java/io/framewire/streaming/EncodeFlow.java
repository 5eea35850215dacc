package io.framewire.streaming;

import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.stream.javadsl.Flow;

/** Stage 6, encode: each answer becomes one JSON text message. */
public final class EncodeFlow {

  private EncodeFlow() {}

  public static Flow<Answer, Message, NotUsed> flow() {
    return Flow.<Answer>create().map(answer -> (Message) TextMessage.create(AnswerEncoder.encode(answer))).named("encode");
  }
}
