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
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The batching stage alone, with TestSource/TestSink and runs the test completes by hand. */
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
    Pair<TestPublisher.Probe<InferenceBatcher.Request>, TestSubscriber.Probe<Integer>> probes =
        TestSource.<InferenceBatcher.Request>probe(kit.system().classicSystem())
            .via(InferenceBatcher.flow(3, 1, batch -> {
              Run run = new Run(List.copyOf(batch), new CompletableFuture<>());
              runs.add(run);
              return run.done();
            }))
            .toMat(TestSink.probe(kit.system().classicSystem()), org.apache.pekko.stream.javadsl.Keep.both())
            .run(Materializer.matFromSystem(kit.system()));
    TestPublisher.Probe<InferenceBatcher.Request> in = probes.first();
    TestSubscriber.Probe<Integer> out = probes.second();
    out.request(10);

    in.sendNext(request(1));
    Run first = runs.poll(10, TimeUnit.SECONDS);
    assertNotNull(first);
    assertEquals(List.of(1f), ids(first)); // no waiting for company

    in.sendNext(request(2)).sendNext(request(3)).sendNext(request(4)); // while run 1 is in flight
    first.done().complete(1);
    assertEquals(1, out.expectNext());
    Run second = runs.poll(10, TimeUnit.SECONDS);
    assertNotNull(second);
    assertEquals(List.of(2f, 3f, 4f), ids(second));

    second.done().complete(3);
    assertEquals(3, out.expectNext());
    in.sendNext(request(5));
    Run third = runs.poll(10, TimeUnit.SECONDS);
    assertNotNull(third);
    assertEquals(List.of(5f), ids(third));
    third.done().complete(1);
    in.sendComplete();
    assertEquals(1, out.expectNext());
    out.expectComplete();
  }
}
