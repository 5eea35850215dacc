package io.framewire.sources;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Source;

/**
 * What {@code /sources} acts on: this process's cameras ({@link LocalSources}) or, on a cluster
 * node, every camera of the cluster wherever it runs ({@link ClusterSources}). Each call is one
 * request's worth of messages; nothing here runs per frame.
 */
public interface LiveSources {

  /** Creates a source; {@code id} null: one is made up. */
  CompletionStage<SourceManager.CreateReply> create(String id, String url, String pipelineId);

  CompletionStage<List<SourceStats.Snapshot>> list();

  CompletionStage<Optional<SourceStats.Snapshot>> get(String id);

  /** Whether there was such a source (now deleted). */
  CompletionStage<Boolean> delete(String id);

  /** The newest decoded frame of a source, JPEG-encoded. */
  CompletionStage<Preview> preview(String id);

  /** A watcher's answers of a source; empty if there is no such source. */
  CompletionStage<Optional<Watch>> watch(String id);

  /** A preview's outcome: {@code jpeg} is set only when {@code outcome} is {@link Outcome#OK}. */
  record Preview(Outcome outcome, byte[] jpeg) {

    public enum Outcome { OK, NOT_FOUND, NO_FRAME, TOO_LARGE }

    static Preview of(Outcome outcome) {
      return new Preview(outcome, null);
    }
  }

  /**
   * A watcher's view: the source's answers, completing when the source is deleted or stops; the
   * watcher calls {@code joined} once its stream runs and {@code left} once it ends (the source's
   * {@code watchers} count).
   */
  record Watch(Source<String, NotUsed> answers, Runnable joined, Runnable left) {}
}
