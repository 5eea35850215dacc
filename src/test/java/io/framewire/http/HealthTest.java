package io.framewire.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.framewire.pipeline.PipelineRegistry;
import io.framewire.streaming.SessionManager;
import io.framewire.tools.ToolRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /health} asks the session manager: 200 when it answers, 503 when it does not answer
 * within {@code framewire.stream.manager-ask-timeout-ms} (here 300 ms, from configuration). The
 * manager is a probe the test answers or leaves silent.
 */
class HealthTest {

  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("framewire.stream.manager-ask-timeout-ms = 300").withFallback(ConfigFactory.load()));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static HttpResponse<String> health(TestProbe<SessionManager.Command> manager, boolean answer) throws Exception {
    ApiRoutes routes = new ApiRoutes(PipelineRegistry.of(ToolRegistry.of(), List.of()), new ObjectMapper(),
        testKit.system(), manager.ref(), null);
    ServerBinding binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0).bind(routes.route())
        .toCompletableFuture().get();
    try {
      var response = HttpClient.newHttpClient().sendAsync(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      SessionManager.GetActiveCount ask = manager.expectMessageClass(SessionManager.GetActiveCount.class);
      if (answer) {
        ask.replyTo().tell(3);
      }
      return response.get();
    } finally {
      binding.unbind().toCompletableFuture().get();
    }
  }

  @Test
  void okWhenTheSessionManagerAnswers() throws Exception {
    HttpResponse<String> response = health(testKit.createTestProbe(SessionManager.Command.class), true);
    assertEquals(200, response.statusCode());
    assertEquals("{\"status\":\"ok\"}", response.body());
  }

  @Test
  void serviceUnavailableWhenTheSessionManagerDoesNotAnswerInTime() throws Exception {
    HttpResponse<String> response = health(testKit.createTestProbe(SessionManager.Command.class), false);
    assertEquals(503, response.statusCode(), response.body());
    assertTrue(response.body().contains("\"status\":\"unavailable\"") && response.body().contains("300 ms"), response.body());
  }
}
