package io.framewire.streaming;


import io.framewire.testing.TestJpegs;
import java.awt.Color;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.testkit.TestPublisher;
import org.apache.pekko.stream.testkit.TestSubscriber;
import org.apache.pekko.stream.testkit.javadsl.TestSink;
import org.apache.pekko.stream.testkit.javadsl.TestSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What every stage test shares: an actor system from {@link ActorTestKit}, and a way to run one
 * stage between a {@link TestSource} (we push, and see what the stage requests or cancels) and a
 * {@link TestSink} (we pull, and see exactly what it emits, and when).
 */
abstract class StageTestSupport {

  static ActorTestKit testKit;
  static ActorSystem<Void> system;
  static Materializer materializer;

  @BeforeAll
  static void startTestKit() {
    testKit = ActorTestKit.create();
    system = testKit.system();
    materializer = Materializer.matFromSystem(system);
  }

  @AfterAll
  static void shutdownTestKit() {
    testKit.shutdownTestKit();
  }

  /** Runs {@code flow} between a test publisher and a test subscriber; both probes returned. */
  static <I, O> Pair<TestPublisher.Probe<I>, TestSubscriber.Probe<O>> probe(Flow<I, O, ?> flow) {
    return TestSource.<I>create(system).via(flow).toMat(TestSink.<O>create(system), Pair::create).run(system);
  }

  static Frame frame(long index) {
    return new Frame(index, TestJpegs.solid(8, 8, Color.GRAY));
  }
}
