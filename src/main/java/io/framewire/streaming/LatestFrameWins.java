package io.framewire.streaming;

import java.util.function.ToLongFunction;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * Stage 4, rate-decouple: while the pipeline is busy, arriving frames wait in a one-frame slot where
 * a newer frame supersedes the older one (latest frame wins). Built on {@code conflateWithSeed}: when
 * the pipeline is free the batch passes at once; when it is busy, the batch keeps only the newest
 * frame plus the index range of the frames it superseded, which are answered {@code dropped}. So the
 * memory held is one frame, however fast the frames come, and no frame runs just to be thrown away.
 *
 * <p>The frame type is the caller's: a session's {@link Frame} (JPEG bytes from its client), a live
 * source's decoded camera frame. Whatever is not a frame is the {@link StreamError} that ends the loop.
 */
public final class LatestFrameWins {

  private LatestFrameWins() {}

  /**
   * What the pipeline stage gets, after the {@code droppedCount} superseded frames numbered from
   * {@code firstDropped}: a frame to run ({@link Run}) or the error that ends the loop ({@link End}).
   */
  public sealed interface Batch<F> permits Run, End {

    long firstDropped();

    int droppedCount();
  }

  /** Run {@code latest}, answering the superseded frames {@code dropped} first. */
  public record Run<F>(long firstDropped, int droppedCount, F latest) implements Batch<F> {}

  /** Answer the superseded frames {@code dropped}, then {@code error}, which ends the loop. */
  public record End<F>(long firstDropped, int droppedCount, StreamError error) implements Batch<F> {}

  /** A session's: its frames, and the error that ends the session. */
  public static Flow<Inbound, Batch<Frame>, NotUsed> flow() {
    return flow(Frame.class, Frame::index);
  }

  /** Frames of any type, numbered by {@code indexOf}, and nothing else (a live source's decoded frames). */
  public static <F> Flow<F, Batch<F>, NotUsed> flow(ToLongFunction<F> indexOf) {
    return flow(Object.class, indexOf);
  }

  /**
   * Elements of {@code frameType} are frames numbered by {@code indexOf}; any other element is the
   * {@link StreamError} that ends the loop.
   */
  private static <T, F extends T> Flow<T, Batch<F>, NotUsed> flow(Class<? super F> frameType, ToLongFunction<F> indexOf) {
    Seeding<T, F> seeding = new Seeding<>(frameType, indexOf);
    return Flow.<T>create().conflateWithSeed(seeding::of, seeding::supersededBy).named("latest-frame-wins");
  }

  private record Seeding<T, F extends T>(Class<? super F> frameType, ToLongFunction<F> indexOf) {

    @SuppressWarnings("unchecked") // an element of frameType is an F: the caller's flow says so
    Batch<F> of(T in) {
      if (!frameType.isInstance(in)) {
        return new End<>(0, 0, (StreamError) in);
      }
      F frame = (F) in;
      return new Run<>(indexOf.applyAsLong(frame), 0, frame); // firstDropped: where a drop would start

    }

    /** {@code batch} after {@code in} arrived while the pipeline was busy. */
    @SuppressWarnings("unchecked")
    Batch<F> supersededBy(Batch<F> batch, T in) {
      if (!(batch instanceof Run<F> run)) {
        return batch; // the loop is ending; nothing after the error matters
      }
      return frameType.isInstance(in)
          ? new Run<>(run.firstDropped(), run.droppedCount() + 1, (F) in)
          : new End<>(run.firstDropped(), run.droppedCount() + 1, (StreamError) in);
    }
  }
}
