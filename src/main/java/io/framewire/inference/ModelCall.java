package io.framewire.inference;

import io.framewire.api.image.DecodedFrame;
import io.framewire.api.image.ColourImage;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One run of an {@code onnx} tool on a frame, the shape every such tool shares: the frame's colour
 * pixels (RGB, or a video frame's YUV as it is) are prepared on the inference CPU pool, the model
 * runs on the prepared tensor (batched with other sessions' frames), and the output is read into
 * the result on the CPU pool again. No thread waits in between.
 */
final class ModelCall {

  private ModelCall() {}

  /**
   * @param prepare the frame's pixels to what the tool keeps of them (e.g. a letterbox), on the CPU pool
   * @param tensor the model's {@code C*H*W} input from the prepared value
   * @param read the model's output and the prepared value to the tool's result, on the CPU pool
   * @return the result; failed (never thrown) when {@code input} has no frame or inference is not
   *     running, like a failed model run
   */
  static <P> CompletionStage<Map<String, Object>> onFrame(
      ModelRegistry models,
      LoadedModel model,
      Map<String, Object> input,
      Function<ColourImage, P> prepare,
      Function<P, float[]> tensor,
      BiFunction<ModelOutput, P, Map<String, Object>> read) {
    DecodedFrame frame;
    Executor cpu;
    try {
      frame = DecodedFrame.of(input);
      cpu = models.cpuExecutor();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return CompletableFuture.supplyAsync(() -> prepare.apply(frame.colour()), cpu)
        .thenCompose(prepared -> model.infer(tensor.apply(prepared))
            .thenApplyAsync(output -> read.apply(output, prepared), cpu));
  }
}
