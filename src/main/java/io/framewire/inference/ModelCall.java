package io.framewire.inference;

import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.ColourImage;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;

/**
 * One run of an {@code onnx} tool on a frame, the shape every such tool shares: the frame's colour
 * pixels (RGB, or a video frame's YUV as it is) are prepared on the inference CPU pool into one of
 * the model's input arrays (reused: {@link LoadedModel#inputArray}), the model runs on that tensor
 * (batched with other sessions' frames), and the output is read into the result on the CPU pool
 * again. No thread waits in between.
 */
final class ModelCall {

  private ModelCall() {}

  /**
   * @param prepare writes the frame's pixels as the model's {@code C*H*W} input into the given array
   *     (every value of it) and returns what the tool keeps to read the output (e.g. a letterbox's
   *     geometry; never the array, which the model reuses once the run has copied it); on the CPU pool
   * @param read the model's output and the prepared value to the tool's result, on the CPU pool
   * @return the result; failed (never thrown) when {@code input} has no frame or inference is not
   *     running, like a failed model run
   */
  static <P> CompletionStage<Map<String, Object>> onFrame(
      ModelRegistry models,
      LoadedModel model,
      Map<String, Object> input,
      BiFunction<ColourImage, float[], P> prepare,
      BiFunction<ModelOutput, P, Map<String, Object>> read) {
    DecodedFrame frame;
    Executor cpu;
    try {
      frame = DecodedFrame.of(input);
      cpu = models.cpuExecutor();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.supplyAsync(() -> prepared(model, frame, prepare), cpu)
        .thenCompose(p -> model.inferRecycling(p.tensor())
            .thenApplyAsync(output -> read.apply(output, p.kept()), cpu));
  }

  /** A frame's input tensor and what its tool keeps to read the output. */
  private record Prepared<P>(float[] tensor, P kept) {}

  private static <P> Prepared<P> prepared(LoadedModel model, DecodedFrame frame, BiFunction<ColourImage, float[], P> prepare) {
    float[] tensor = model.inputArray();
    try {
      return new Prepared<>(tensor, prepare.apply(frame.colour(), tensor));
    } catch (RuntimeException e) {
      model.giveBack(tensor); // e.g. a corrupt JPEG: the frame fails, its array is not run
      throw e;
    }
  }
}
