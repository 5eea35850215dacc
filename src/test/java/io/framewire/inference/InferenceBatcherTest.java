package io.framewire.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The batching stage alone, fed by a bounded queue (as in production) into a TestSink, with runs the
 * test completes by hand. The test waits until the queue is empty (the stage has taken every
 * request) before letting a run end, so which requests form a batch is deterministic.
 */
class InferenceBatcherTest {

  static final ActorTestKit kit = ActorTestKit.create("batcher-test");

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  record Run(List<InferenceBatcher.Request> batch, CompletableFuture<Integer> done) {}

  static InferenceBatcher.Request request(float id) {
    return new InferenceBatcher.Request(new float[] {id}, new CompletableFuture<>());
  }

  static List<Float> ids(Run run) {
    return run.batch().stream().map(r -> r.input()[0]).toList();
  }

  @Test
  void an_idle_model_runs_a_request_alone_and_requests_arriving_meanwhile_form_the_next_batch() throws Exception {
    LinkedBlockingQueue<Run> runs = new LinkedBlockingQueue<>();
    Pair<BoundedSourceQueue<InferenceBatcher.Request>, TestSubscriber.Probe<Integer>> probes =
        Source.<InferenceBatcher.Request>queue(16)
            .via(InferenceBatcher.flow(3, 1, batch -> {
              Run run = new Run(List.copyOf(batch), new CompletableFuture<>());
              runs.add(run);
              return run.done();
            }))
            .toMat(TestSink.probe(kit.system().classicSystem()), Keep.both())
            .run(Materializer.matFromSystem(kit.system()));
    BoundedSourceQueue<InferenceBatcher.Request> in = probes.first();
    TestSubscriber.Probe<Integer> out = probes.second();
    out.request(10);

    in.offer(request(1));
    Run first = runs.poll(10, TimeUnit.SECONDS);
    assertNotNull(first);
    assertEquals(List.of(1f), ids(first)); // no waiting for company

    in.offer(request(2)); // while run 1 is in flight
    in.offer(request(3));
    in.offer(request(4));
    io.framewire.testing.TestServer.await("the stage took the three requests", () -> in.size() == 0);
    first.done().complete(1);
    assertEquals(1, out.expectNext());
    Run second = runs.poll(10, TimeUnit.SECONDS);
    assertNotNull(second);
    assertEquals(List.of(2f, 3f, 4f), ids(second));

    second.done().complete(3);
    assertEquals(3, out.expectNext());
    in.offer(request(5));
    Run third = runs.poll(10, TimeUnit.SECONDS);
    assertNotNull(third);
    assertEquals(List.of(5f), ids(third));
    third.done().complete(1);
    in.complete();
    assertEquals(1, out.expectNext());
    out.expectComplete();
  }
}
