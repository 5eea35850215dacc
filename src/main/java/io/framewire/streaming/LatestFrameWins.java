package io.framewire.streaming;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * Stage 4, rate-decouple: while the pipeline is busy, arriving frames wait in a one-frame slot where
 * a newer frame supersedes the older one (latest frame wins). Built on {@code conflateWithSeed}: when
 * the pipeline is free the batch passes at once; when it is busy, the batch keeps only the newest
 * frame plus the index range of the frames it superseded, which are answered {@code dropped}. So the
 * memory held per session is one frame, however fast the client sends, and no frame runs just to be
 * thrown away.
 */
public final class LatestFrameWins {

  private LatestFrameWins() {}

  /**
   * What the pipeline stage gets: the frame to run (or the error that ends the session), after the
   * {@code droppedCount} superseded frames numbered from {@code firstDropped}.
   */
  public record Batch(long firstDropped, int droppedCount, Frame latest, StreamError error) {

    static Batch of(Inbound in) {
      return in instanceof Frame frame ? new Batch(frame.index(), 0, frame, null) : new Batch(0, 0, null, (StreamError) in);
    }

    Batch supersededBy(Inbound in) {
      if (error != null) {
        return this; // the session is ending; nothing after the error matters
      }
      long first = droppedCount == 0 ? latest.index() : firstDropped;
      if (in instanceof Frame frame) {
        return new Batch(first, droppedCount + 1, frame, null);
      }
      return new Batch(first, droppedCount + 1, null, (StreamError) in);
    }
  }

  public static Flow<Inbound, Batch, NotUsed> flow() {
    return Flow.<Inbound>create().conflateWithSeed(Batch::of, Batch::supersededBy).named("latest-frame-wins");
  }
}
