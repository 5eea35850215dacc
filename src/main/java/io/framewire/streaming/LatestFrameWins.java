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
   * What the pipeline stage gets, after the {@code droppedCount} superseded frames numbered from
   * {@code firstDropped}: a frame to run ({@link Run}) or the error that ends the session ({@link End}).
   */
  public sealed interface Batch permits Run, End {

    long firstDropped();

    int droppedCount();

    static Batch of(Inbound in) {
      return in instanceof Frame frame ? new Run(frame.index(), 0, frame) : new End(0, 0, (StreamError) in);
    }

    /** This batch after {@code in} arrived while the pipeline was busy. */
    Batch supersededBy(Inbound in);
  }

  /** Run {@code latest}, answering the superseded frames {@code dropped} first. */
  public record Run(long firstDropped, int droppedCount, Frame latest) implements Batch {
    @Override
    public Batch supersededBy(Inbound in) {
      long first = droppedCount == 0 ? latest.index() : firstDropped;
      return in instanceof Frame frame
          ? new Run(first, droppedCount + 1, frame)
          : new End(first, droppedCount + 1, (StreamError) in);
    }
  }

  /** Answer the superseded frames {@code dropped}, then {@code error}, which ends the session. */
  public record End(long firstDropped, int droppedCount, StreamError error) implements Batch {
    @Override
    public Batch supersededBy(Inbound in) {
      return this; // the session is ending; nothing after the error matters
    }
  }

  public static Flow<Inbound, Batch, NotUsed> flow() {
    return Flow.<Inbound>create().conflateWithSeed(Batch::of, Batch::supersededBy).named("latest-frame-wins");
  }
}
