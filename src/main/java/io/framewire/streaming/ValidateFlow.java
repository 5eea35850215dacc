package io.framewire.streaming;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * Stage 3, validate: refuses bad frames before anything runs on them and ends the inbound side at
 * the first error (the error itself goes on, to be answered).
 */
public final class ValidateFlow {

  private ValidateFlow() {}

  public static Flow<Inbound, Inbound, NotUsed> flow(FrameValidator validator) {
    return Flow.<Inbound>create()
        .map(in -> in instanceof Frame frame
            ? validator.validate(frame.index(), frame.bytes()).<Inbound>map(e -> e).orElse(frame)
            : in)
        .via(StreamError.upToFirstError())
        .named("validate");
  }
}
