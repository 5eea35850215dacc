package io.framewire.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.framewire.testing.TestServer;
import java.util.Map;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-model batching stage on real ONNX Runtime, made deterministic by running the model on an
 * executor the test gates: a run starts only when the test lets it, so the test knows exactly which
 * requests arrived while a run was in flight.
 */
class ModelBatchingTest {

  /** Runs each task on its own thread, but only after the test releases a permit for it. */
  static final class GatedExecutor implements Executor {
    final Semaphore permits = new Semaphore(0);
    final LinkedBlockingQueue<Integer> waitingTasks = new LinkedBlockingQueue<>();
    final ExecutorService threads = Executors.newCachedThreadPool();

    @Override
    public void execute(Runnable task) {
      threads.execute(() -> {
        waitingTasks.add(1);
        permits.acquireUninterruptibly();
        task.run();
      });
    }

    void awaitTaskWaiting() throws InterruptedException {
      assertNotNull(waitingTasks.poll(20, TimeUnit.SECONDS), "no model run was started");
    }
  }

  final GatedExecutor gate = new GatedExecutor();
  TestModels models;

  @AfterEach
  void stop() throws Exception {
    gate.permits.release(1000);
    if (models != null) {
      models.close();
    }
    gate.threads.shutdownNow();
  }

  void start(int maxBatch, int queueSize) {
    models = new TestModels(TestModels.settings(TestModels.dir(), Map.of("max-batch", maxBatch, "queue-size", queueSize)), gate);
  }

  /** A classify_means input whose channel means are (red, 0, 0). */
  static float[] input(float red) {
    float[] chw = new float[3 * 32 * 32];
    Arrays.fill(chw, 0, 32 * 32, red);
    return chw;
  }

  static float expectedRedScore(float red) {
    double e = Math.exp(red);
    return (float) (e / (e + 2));
  }


  static ModelOutput get(CompletableFuture<ModelOutput> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  @Test
  void requests_arriving_during_a_run_go_together_into_the_next_each_getting_its_own_result() throws Exception {
    start(8, 64);
    LoadedModel model = models.models.load("classify_means.onnx");
    CompletableFuture<ModelOutput> first = model.infer(input(0.5f)).toCompletableFuture();
    gate.awaitTaskWaiting(); // run 1 (the idle model took the request at once, alone) waits for its permit
    List<CompletableFuture<ModelOutput>> later = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      later.add(model.infer(input(i)).toCompletableFuture());
    }
    TestServer.await("the batching stage holds the 5 requests", () -> model.queued() == 0);
    gate.permits.release(1);
    assertEquals(expectedRedScore(0.5f), get(first).values()[0], 1e-5);
    gate.awaitTaskWaiting(); // run 2
    gate.permits.release(1);
    for (int i = 1; i <= 5; i++) {
      ModelOutput out = get(later.get(i - 1));
      assertEquals(expectedRedScore(i), out.values()[0], 1e-5, "request " + i + " got another frame's result");
      assertEquals(List.of(3L), Arrays.stream(out.shape()).boxed().toList());
    }
    assertEquals(2, models.metricsRegistry.getSampleValue("inference_batch_size_count", new String[] {"model"},
        new String[] {"classify_means.onnx"}));
    assertEquals(6, models.metric("inference_batch_size_sum", "classify_means.onnx"));
    assertEquals(2, models.metric("inference_seconds_count", "classify_means.onnx"));
    assertEquals(0, models.metric("inference_queue_depth", "classify_means.onnx"));
  }

  @Test
  void max_batch_caps_a_batch() throws Exception {
    start(2, 64);
    LoadedModel model = models.models.load("classify_means.onnx");
    List<CompletableFuture<ModelOutput>> all = new ArrayList<>();
    all.add(model.infer(input(0)).toCompletableFuture());
    gate.awaitTaskWaiting();
    for (int i = 1; i <= 4; i++) {
      all.add(model.infer(input(i)).toCompletableFuture());
    }
    // The batch stage holds a full batch of 2 and the next request; the last one stays queued.
    TestServer.await("the stage holds a full batch of 2 and one more", () -> model.queued() == 1);
    assertEquals(4, model.waiting());
    // One run at a time: were [1, 2] let run at once, it could end before the stage took request 4
    // in with 3, and [3] would go alone (a race of the test, not a wrong batch).
    gate.permits.release(1); // [0]
    gate.awaitTaskWaiting(); // [1, 2]
    TestServer.await("request 4 joins 3 in the stage", () -> model.queued() == 0);
    gate.permits.release(1);
    gate.awaitTaskWaiting(); // [3, 4]
    gate.permits.release(1);
    for (int i = 0; i <= 4; i++) {
      assertEquals(expectedRedScore(i), get(all.get(i)).values()[0], 1e-5);
    }
    assertEquals(3, models.metric("inference_batch_size_count", "classify_means.onnx")); // 1 + 2 + 2
    assertEquals(5, models.metric("inference_batch_size_sum", "classify_means.onnx"));
  }

  @Test
  void a_model_with_batch_fixed_at_1_runs_requests_one_by_one() throws Exception {
    start(8, 64);
    LoadedModel model = models.models.load("yolov8_batch1.onnx");
    float[] image = new float[3 * 64 * 64];
    List<CompletableFuture<ModelOutput>> all = new ArrayList<>();
    all.add(model.infer(image).toCompletableFuture());
    gate.awaitTaskWaiting();
    for (int i = 0; i < 3; i++) {
      all.add(model.infer(image).toCompletableFuture());
    }
    gate.permits.release(1000);
    for (CompletableFuture<ModelOutput> f : all) {
      assertEquals(7 * 16, get(f).values().length);
    }
    assertEquals(4, models.metric("inference_batch_size_count", "yolov8_batch1.onnx"));
    assertEquals(4, models.metric("inference_batch_size_sum", "yolov8_batch1.onnx"));
  }

  @Test
  void an_input_array_is_reused_once_its_run_has_copied_it_and_never_one_the_caller_owns() throws Exception {
    start(8, 64);
    LoadedModel model = models.models.load("classify_means.onnx");
    float[] recycled = model.inputArray();
    System.arraycopy(input(1), 0, recycled, 0, recycled.length);
    CompletableFuture<ModelOutput> first = model.inferRecycling(recycled).toCompletableFuture();
    gate.awaitTaskWaiting(); // its run is handed over, not started: the array is not copied yet
    assertNotSame(recycled, model.inputArray(), "handed out again before its run copied it");
    gate.permits.release(1);
    assertEquals(expectedRedScore(1), get(first).values()[0], 1e-5);
    assertSame(recycled, model.inputArray(), "not reused once its run copied it");

    float[] owned = input(2);
    CompletableFuture<ModelOutput> second = model.infer(owned).toCompletableFuture();
    gate.awaitTaskWaiting();
    gate.permits.release(1);
    assertEquals(expectedRedScore(2), get(second).values()[0], 1e-5);
    assertNotSame(owned, model.inputArray(), "an array the caller owns was taken for reuse");

    models.models.shutdown().toCompletableFuture().get(20, TimeUnit.SECONDS);
    CompletableFuture<ModelOutput> refused = model.inferRecycling(recycled).toCompletableFuture();
    assertTrue(refused.isCompletedExceptionally());
    assertSame(recycled, model.inputArray(), "a refused request's array is given back at once");
  }

  @Test
  void the_spare_input_arrays_are_bounded_by_the_runs_and_by_memory() {
    int yolo640 = 3 * 640 * 640;
    assertEquals(6, LoadedModel.spareInputCount(new ModelPlan(1, 2, 1, "measured", List.of(), List.of()), yolo640));
    // A GPU plan of 2 runs of 16 would keep 66; 64 MiB hold 13 of 4.9 MB.
    assertEquals(13, LoadedModel.spareInputCount(new ModelPlan(16, 2, 0, "measured", List.of(), List.of()), yolo640));
    assertEquals(1, LoadedModel.spareInputCount(new ModelPlan(1, 1, 1, "settings", List.of(), List.of()), 100_000_000));
  }

  @Test
  void a_full_queue_fails_a_request_at_once_and_the_accepted_ones_still_run() throws Exception {
    start(1, 2);
    LoadedModel model = models.models.load("classify_means.onnx");
    List<CompletableFuture<ModelOutput>> accepted = new ArrayList<>();
    accepted.add(model.infer(input(0)).toCompletableFuture());
    gate.awaitTaskWaiting();
    CompletableFuture<ModelOutput> refused = null;
    for (int i = 1; i <= 10 && refused == null; i++) {
      CompletableFuture<ModelOutput> f = model.infer(input(i)).toCompletableFuture();
      if (f.isCompletedExceptionally()) {
        refused = f; // failed within the call: nothing waited
      } else {
        accepted.add(f);
      }
    }
    assertNotNull(refused, "the bounded queue never refused a request");
    // Bounded: 1 running, what the batch stage holds (its batch of 1 and the next), 2 in the queue.
    assertTrue(accepted.size() >= 3 && accepted.size() <= 5, "accepted " + accepted.size());
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, refused::get);
    assertTrue(e.getCause().getMessage().contains("model 'classify_means.onnx' is busy"), e.getCause().getMessage());
    assertTrue(e.getCause().getMessage().contains("INFERENCE_QUEUE_SIZE"), e.getCause().getMessage());
    gate.permits.release(1000);
    for (int i = 0; i < accepted.size(); i++) {
      assertEquals(expectedRedScore(i), get(accepted.get(i)).values()[0], 1e-5);
    }
  }

  @Test
  void shutdown_lets_runs_in_flight_and_queued_requests_finish_before_closing_the_model() throws Exception {
    start(8, 64);
    LoadedModel model = models.models.load("classify_means.onnx");
    CompletableFuture<ModelOutput> inFlight = model.infer(input(1)).toCompletableFuture();
    gate.awaitTaskWaiting();
    CompletableFuture<ModelOutput> queued = model.infer(input(2)).toCompletableFuture();
    TestServer.await("the stage holds the second request", () -> model.queued() == 0);

    CompletableFuture<Done> closed = models.models.shutdown().toCompletableFuture();
    assertFalse(closed.isDone(), "closed while a run was in flight");
    assertFalse(model.isClosed());
    CompletableFuture<ModelOutput> late = model.infer(input(3)).toCompletableFuture();
    ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, late::get);
    assertTrue(e.getCause().getMessage().contains("shutting down"), e.getCause().getMessage());

    gate.permits.release(1); // run 1 may go
    assertEquals(expectedRedScore(1), get(inFlight).values()[0], 1e-5);
    gate.awaitTaskWaiting();
    assertFalse(model.isClosed(), "closed while the queued request was still to run");
    gate.permits.release(1);
    assertEquals(expectedRedScore(2), get(queued).values()[0], 1e-5);
    closed.get(20, TimeUnit.SECONDS);
    assertTrue(model.isClosed());
    assertEquals(0, model.running());
  }
}
