package io.framewire.inference;

import io.framewire.api.AsyncTool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;

/**
 * Tool {@code onnx/classify}: an image classifier with output {@code [N, classes]}. Resize and centre
 * crop to the model input (ImageNet mean/std unless {@code normalize: false}), batched run, softmax
 * if the model outputs logits; answers {@code {"classes": [{class_id, label, score}]}}, best first.
 */
final class OnnxClassifier implements AsyncTool {

  static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  private final ModelRegistry models;
  private final LoadedModel model;
  private final ClassifyParams params;
  private final Labels labels;

  private OnnxClassifier(ModelRegistry models, LoadedModel model, ClassifyParams params) {
    this.models = models;
    this.model = model;
    this.params = params;
    this.labels = new Labels(params.labels(), model.info().names());
  }

  static OnnxClassifier create(ModelRegistry models, ClassifyParams params) {
    LoadedModel model = models.load(params.model());
    long[] out = model.info().outputShape();
    if (out.length != 2) {
      throw new IllegalArgumentException("model '" + model.name() + "' output " + ModelInfo.shape(out)
          + " is not a classifier output [N, classes]");
    }
    if (params.labels() != null && out[1] > 0 && params.labels().size() != out[1]) {
      throw new IllegalArgumentException("param 'labels' has " + params.labels().size() + " labels, model '"
          + model.name() + "' has " + out[1] + " classes");
    }
    return new OnnxClassifier(models, model, params);
  }

  @Override
  public CompletionStage<Map<String, Object>> applyAsync(Map<String, Object> input) {
    ModelInfo info = model.info();
    float[] mean = params.normalize() ? IMAGENET_MEAN : null;
    float[] std = params.normalize() ? IMAGENET_STD : null;
    return ModelCall.onFrame(models, model, input,
        (pixels, chw) -> {
          Resize.resizeCenterCropInto(pixels, info.width(), info.height(), mean, std, chw);
          return null; // nothing is kept: the output alone gives the classes
        },
        (output, nothing) -> classes(output));
  }

  Map<String, Object> classes(ModelOutput output) {
    float[] scores = probabilities(output.values());
    int k = Math.min(params.topK(), scores.length);
    List<Map<String, Object>> top = new ArrayList<>(k);
    IntStream.range(0, scores.length).boxed()
        .sorted(Comparator.comparingDouble((Integer c) -> scores[c]).reversed().thenComparing(c -> c))
        .limit(k)
        .forEach(c -> {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("class_id", c);
          entry.put("label", labels.of(c));
          entry.put("score", Labels.round(scores[c], 4));
          top.add(entry);
        });
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("classes", top);
    return result;
  }

  /** The values as they are if they already are probabilities (in [0, 1], summing to 1), else their softmax. */
  static float[] probabilities(float[] values) {
    double sum = 0;
    boolean inUnit = true;
    for (float v : values) {
      sum += v;
      inUnit &= v >= 0 && v <= 1;
    }
    if (inUnit && Math.abs(sum - 1) < 1e-3) {
      return values;
    }
    float max = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      max = Math.max(max, v);
    }
    float[] out = new float[values.length];
    double total = 0;
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) Math.exp(values[i] - max);
      total += out[i];
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (out[i] / total);
    }
    return out;
  }
}
