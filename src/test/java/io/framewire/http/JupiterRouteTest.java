package io.framewire.http;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.server.RouteResult;
import org.apache.pekko.http.javadsl.testkit.RouteTest;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.SystemMaterializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.TestInstance;
import scala.concurrent.Future;

/**
 * pekko-http's route testkit ({@code pekko-http-testkit}'s {@link RouteTest}: {@code
 * testRoute(route).run(request)}) for JUnit 5: a request goes through the route in memory, sealed as
 * the server seals it (rejections become their HTTP answers), with no port bound.
 * {@code runClientServer} also sends it through pekko-http's HTTP client and server layers, still
 * without a socket, for tests about how a raw request line is parsed.
 *
 * <p>pekko-http-testkit 1.3.0 ships this base only for JUnit 4 ({@code JUnitRouteTest}, a JUnit 4
 * {@code @Rule}); this is the same adapter for Jupiter: one actor system per test class (closed after
 * it), JUnit 5 assertions inside the testkit's {@code assert…} methods. A test class that needs its
 * own system (e.g. an {@code ActorTestKit}'s, for probes) passes it to the constructor.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JupiterRouteTest extends RouteTest {

  private final ActorSystem<?> system;
  private final boolean ownSystem;

  protected JupiterRouteTest() {
    this.system = ActorSystem.create(Behaviors.empty(), getClass().getSimpleName());
    this.ownSystem = true;
  }

  /** Routes run on {@code system}, which the caller owns and terminates. */
  protected JupiterRouteTest(ActorSystem<?> system) {
    this.system = system;
    this.ownSystem = false;
  }

  /** The typed system, for the route classes' constructors. */
  protected ActorSystem<?> typedSystem() {
    return system;
  }

  @Override
  public org.apache.pekko.actor.ActorSystem system() {
    return Adapter.toClassic(system);
  }

  @Override
  public Materializer materializer() {
    return SystemMaterializer.get(system).materializer();
  }

  @Override
  public TestRouteResult createTestRouteResultAsync(HttpRequest request, Future<RouteResult> result) {
    return new TestRouteResult(result, awaitDuration(), system().dispatcher(), materializer()) {
      @Override
      public void assertEquals(Object expected, Object actual, String message) {
        Assertions.assertEquals(expected, actual, message + " (request: " + request + ")");
      }

      @Override
      public void assertEquals(int expected, int actual, String message) {
        Assertions.assertEquals(expected, actual, message + " (request: " + request + ")");
      }

      @Override
      public void assertTrue(boolean predicate, String message) {
        Assertions.assertTrue(predicate, message + " (request: " + request + ")");
      }

      @Override
      public void fail(String message) {
        Assertions.fail(message + " (request: " + request + ")");
      }
    };
  }

  @AfterAll
  void terminateSystem() throws Exception {
    if (ownSystem) {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
