package io.framewire.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.framewire.settings.FramewireSettings;
import io.framewire.pipeline.store.PipelineRegistry;
import io.framewire.streaming.SessionManager;
import io.framewire.pipeline.ToolRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /health} asks the session manager: 200 when it answers, 503 when it does not answer
 * within {@code framewire.stream.manager-ask-timeout-ms} (here 300 ms, from configuration). The
 * manager is a probe the test answers or leaves silent; the route runs in pekko-http's route testkit.
 */
class HealthTest extends JupiterRouteTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("framewire.stream.manager-ask-timeout-ms = 300").withFallback(ConfigFactory.load()));

  HealthTest() {
    super(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private TestRouteResult health(TestProbe<SessionManager.Command> manager, boolean answer) throws Exception {
    ApiRoutes routes = new ApiRoutes(PipelineRegistry.of(ToolRegistry.of(), List.of()), new ObjectMapper(),
        testKit.system(), manager.ref(),
        FramewireSettings.from(testKit.system().settings().config()).stream().managerAskTimeout(), null);
    // run() waits for the answer, which waits for the probe: run it beside the test's thread.
    CompletableFuture<TestRouteResult> response =
        CompletableFuture.supplyAsync(() -> testRoute(routes.healthRoute()).run(HttpRequest.GET("/health")));
    SessionManager.GetActiveCount ask = manager.expectMessageClass(SessionManager.GetActiveCount.class);
    if (answer) {
      ask.replyTo().tell(3);
    }
    return response.get(10, TimeUnit.SECONDS);
  }

  @Test
  void okWhenTheSessionManagerAnswers() throws Exception {
    TestRouteResult response = health(testKit.createTestProbe(SessionManager.Command.class), true);
    assertEquals(200, response.statusCode());
    assertEquals("application/json", response.contentTypeString());
    assertEquals("{\"status\":\"ok\"}", response.entityString());
  }

  @Test
  void serviceUnavailableWhenTheSessionManagerDoesNotAnswerInTime() throws Exception {
    TestRouteResult response = health(testKit.createTestProbe(SessionManager.Command.class), false);
    assertEquals(503, response.statusCode(), response.entityString());
    assertTrue(response.entityString().contains("\"status\":\"unavailable\"")
        && response.entityString().contains("300 ms"), response.entityString());
  }
}
