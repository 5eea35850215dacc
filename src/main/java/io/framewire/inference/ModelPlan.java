package io.framewire.inference;

import java.util.List;

/**
 * How one loaded model runs, and why: the knobs ({@code INFERENCE_MAX_BATCH},
 * {@code INFERENCE_CONCURRENT_RUNS}, {@code INFERENCE_INTRA_OP_THREADS}) as set or as chosen by
 * {@link ModelTuner}'s measurement at load, with what was measured.
 *
 * @param maxBatch most frames one run takes (1 for a model whose batch dimension is fixed at 1)
 * @param concurrentRuns runs in flight at once
 * @param intraOpThreads ONNX Runtime's intra-op threads per run; 0 = ONNX Runtime's default
 * @param chosenBy {@code "settings"} (every knob set, or measurement off) or {@code "measured"}
 * @param layouts frames/s of batch-1 runs for each (runs × threads) tried, best first; empty if not measured
 * @param batches per-frame cost at each batch size measured with the chosen layout; empty if not measured
 */
public record ModelPlan(
    int maxBatch, int concurrentRuns, int intraOpThreads, String chosenBy, List<Layout> layouts, List<BatchCost> batches) {

  /** {@code runs} runs in parallel of {@code threads} intra-op threads each gave {@code framesPerSecond}. */
  public record Layout(int runs, int threads, double framesPerSecond) {}

  /** Batches of {@code batch} frames cost {@code msPerFrame} each frame ({@code framesPerSecond} in all). */
  public record BatchCost(int batch, double msPerFrame, double framesPerSecond) {}

  public ModelPlan {
    layouts = List.copyOf(layouts);
    batches = List.copyOf(batches);
  }
}
