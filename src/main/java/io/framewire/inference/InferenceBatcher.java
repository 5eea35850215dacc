package io.framewire.inference;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.javadsl.Flow;

/**
 * The cross-session batching stage of one model: requests from every session in, one model run per
 * batch. {@code batch} gathers requests only while the runs downstream are busy (backpressure), so a
 * request that finds the model idle runs at once, alone, and requests arriving while runs are in
 * flight go together into the next run, up to {@code maxBatch}. {@code mapAsyncUnordered} keeps
 * {@code concurrentRuns} runs in flight. No timer, no wait window.
 */
public final class InferenceBatcher {

  /**
   * One image's input for one model run; {@code result} completes with that image's output.
   * {@code recycle}: the model takes {@code input} back for later frames once a run has copied it.
   */
  public record Request(float[] input, CompletableFuture<ModelOutput> result, boolean recycle) {

    public Request(float[] input, CompletableFuture<ModelOutput> result) {
      this(input, result, false);
    }
  }

  private InferenceBatcher() {}

  /**
   * @param run runs one batch, completes each request's future, and completes with the batch size;
   *     it must never fail (failures go to the requests' futures)
   * @return emits each run's batch size as it ends
   */
  public static Flow<Request, Integer, NotUsed> flow(
      int maxBatch, int concurrentRuns, Function<List<Request>, CompletionStage<Integer>> run) {
    if (maxBatch < 1 || concurrentRuns < 1) {
      throw new IllegalArgumentException("maxBatch and concurrentRuns must be >= 1");
    }
    return Flow.<Request>create()
        .<List<Request>>batch(maxBatch, first -> {
          List<Request> batch = new ArrayList<>(maxBatch);
          batch.add(first);
          return batch;
        }, (batch, next) -> {
          batch.add(next);
          return batch;
        })
        .mapAsyncUnordered(concurrentRuns, run::apply)
        .named("inference-batch");
  }
}
