package io.framewire.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The knobs left {@code auto} are chosen by measuring the model at load; set ones are kept. What is
 * asserted is what was measured and the rule applied to it, never a timing.
 */
class ModelTunerTest {

  static ModelPlan.BatchCost cost(int batch, double fps) {
    return new ModelPlan.BatchCost(batch, 1000 / fps, fps);
  }

  @Test
  void batching_is_chosen_only_when_a_batch_beats_single_frames_by_the_margin() {
    // CPU-like: batches cost as much per frame as single frames, or more: batching stays off.
    assertEquals(1, ModelTuner.chooseBatch(List.of(cost(1, 100), cost(2, 102), cost(4, 95), cost(8, 90))));
    // GPU-like: the fastest batch per frame wins.
    assertEquals(8, ModelTuner.chooseBatch(List.of(cost(1, 100), cost(2, 180), cost(4, 300), cost(8, 420))));
    assertEquals(4, ModelTuner.chooseBatch(List.of(cost(1, 100), cost(2, 104), cost(4, 110), cost(8, 108))));
    assertEquals(1, ModelTuner.chooseBatch(List.of(cost(1, 100))));

    // A second timing of batch 1 and the chosen batch, back to back: each keeps the mean of its two.
    List<ModelPlan.BatchCost> timed = new java.util.ArrayList<>(List.of(cost(1, 100), cost(2, 110), cost(4, 104)));
    assertEquals(2, ModelTuner.chooseBatch(timed));
    ModelTuner.retime(timed, 1, 110);
    ModelTuner.retime(timed, 2, 100);
    assertEquals(List.of(105.0, 105.0, 104.0), timed.stream().map(ModelPlan.BatchCost::framesPerSecond).toList());
    assertEquals(1, ModelTuner.chooseBatch(timed), "batch 2 was not faster after all");
  }

  @Test
  void the_layout_is_chosen_from_the_mean_of_two_timings_of_the_best_two() {
    ModelPlan.Layout one = new ModelPlan.Layout(1, 2, 15.4);
    ModelPlan.Layout two = new ModelPlan.Layout(2, 1, 14.0);
    List<ModelPlan.Layout> timed = new java.util.ArrayList<>(List.of(one, two));
    assertEquals(one, ModelTuner.chooseLayout(timed));
    assertEquals(two, ModelTuner.runnerUp(timed, one));
    // The second timings, back to back: one run of two threads was lucky the first time.
    ModelTuner.retime(timed, two, 18.0);
    ModelTuner.retime(timed, one, 14.6);
    assertEquals(List.of(15.0, 16.0), timed.stream().map(ModelPlan.Layout::framesPerSecond).toList());
    assertEquals(2, ModelTuner.chooseLayout(timed).runs(), "two runs of one thread are faster after all");
    // Within 2 %: the layout listed first (fewer runs) keeps it.
    assertEquals(1, ModelTuner.chooseLayout(List.of(new ModelPlan.Layout(1, 2, 100), new ModelPlan.Layout(2, 1, 101.9))).runs());
  }

  @Test
  void auto_knobs_are_measured_at_load_for_a_dynamic_batch_model() throws Exception {
    try (TestModels models = new TestModels()) {
      LoadedModel model = models.models.load("conv_det.onnx");
      ModelPlan plan = model.plan();
      assertEquals("measured", plan.chosenBy());
      assertEquals(List.of(1, 2, 4, 8), plan.batches().stream().map(ModelPlan.BatchCost::batch).toList());
      assertTrue(plan.batches().stream().allMatch(b -> b.framesPerSecond() > 0 && b.msPerFrame() > 0), plan.toString());
      assertEquals(ModelTuner.chooseBatch(plan.batches()), plan.maxBatch());
      int cores = Runtime.getRuntime().availableProcessors();
      List<Integer> tried = plan.layouts().stream().map(ModelPlan.Layout::runs).sorted().toList();
      assertEquals(cores == 1 ? List.of(1) : cores == 2 ? List.of(1, 2) : List.of(1, 2, cores), tried);
      plan.layouts().forEach(l -> assertEquals(Math.max(1, cores / l.runs()), l.threads(), plan.toString()));
      assertEquals(plan.layouts().get(0).framesPerSecond(),
          plan.layouts().stream().mapToDouble(ModelPlan.Layout::framesPerSecond).max().orElseThrow());
      Map<String, Object> shown = model.describe();
      assertEquals("dynamic", shown.get("batch_mode"));
      assertEquals(plan.maxBatch(), shown.get("max_batch"));
      assertEquals(plan.concurrentRuns(), shown.get("concurrent_runs"));
      assertEquals(4, ((List<?>) shown.get("measured_batches")).size());
    }
  }

  @Test
  void a_batch_1_model_measures_only_its_layouts() throws Exception {
    try (TestModels models = new TestModels()) {
      ModelPlan plan = models.models.load("yolov8_batch1.onnx").plan();
      assertEquals("measured", plan.chosenBy());
      assertEquals(1, plan.maxBatch());
      assertEquals(List.of(1), plan.batches().stream().map(ModelPlan.BatchCost::batch).toList());
      assertEquals("fixed", models.models.load("yolov8_batch1.onnx").describe().get("batch_mode"));
    }
  }

  @Test
  void settings_override_the_measurement() throws Exception {
    InferenceSettings all = TestModels.settings(TestModels.dir(),
        Map.of("max-batch", 4, "concurrent-runs", 2, "intra-op-threads", 1));
    try (TestModels models = new TestModels(all, null)) {
      assertEquals(new ModelPlan(4, 2, 1, "settings", List.of(), List.of()), models.models.load("conv_det.onnx").plan());
    }
    InferenceSettings batchOnly = TestModels.settings(TestModels.dir(), Map.of("max-batch", 4));
    try (TestModels models = new TestModels(batchOnly, null)) {
      ModelPlan plan = models.models.load("conv_det.onnx").plan();
      assertEquals(4, plan.maxBatch());
      assertEquals("measured", plan.chosenBy());
      assertEquals(List.of(1), plan.batches().stream().map(ModelPlan.BatchCost::batch).toList(), "batch sizes not measured");
    }
  }

  @Test
  void auto_and_numbers_are_read_and_anything_else_is_refused_naming_the_key() {
    assertEquals(InferenceSettings.AUTO, InferenceSettings.knob(" Auto ", "max-batch", "INFERENCE_MAX_BATCH"));
    assertEquals(16, InferenceSettings.knob("16", "max-batch", "INFERENCE_MAX_BATCH"));
    IllegalArgumentException zero = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> InferenceSettings.knob("0", "concurrent-runs", "INFERENCE_CONCURRENT_RUNS"));
    assertEquals("framewire.inference.concurrent-runs (INFERENCE_CONCURRENT_RUNS) must be >= 1 or auto, got 0",
        zero.getMessage());
  }
}
