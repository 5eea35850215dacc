package io.framewire.streaming;

import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Flow;

/** Stage 2, index: numbers the session's frames from 0 in arrival order. Errors pass unchanged. */
public final class IndexFlow {

  private IndexFlow() {}

  public static Flow<Inbound, Inbound, NotUsed> flow() {
    return Flow.<Inbound>create()
        .statefulMap(
            () -> 0L,
            (next, in) -> in instanceof Inbound.Bytes bytes
                ? Pair.create(next + 1, (Inbound) new Frame(next, bytes.bytes()))
                : Pair.create(next, in),
            next -> java.util.Optional.empty())
        .named("index");
  }
}
