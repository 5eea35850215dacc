package io.framewire.http;

import static io.framewire.http.Http.single;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.framewire.testing.TestServer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The access rule on every mutating workbench endpoint: with ADMIN_TOKEN, the Bearer token is needed
 * (from loopback too), shown on the routes in pekko-http's route testkit; without it, loopback clients
 * may change pipelines, shown against the real server, whose TCP peer address is what the rule reads
 * (the non-loopback refusal itself is {@link AdminAccessTest}'s: tests only talk to 127.0.0.1).
 * Reading and validating need no token.
 */
class WorkbenchAccessTest extends JupiterRouteTest {

  static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.load()); // application.conf: framewire.*

  WorkbenchAccessTest() {
    super(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void withATokenEveryMutationNeedsIt() {
    Http anonymous = new Http(testRoute(WorkbenchRoutesTest.pipelinesApi(testKit, new AdminAccess("s3cret"))));
    Http wrong = anonymous.withToken("guess");
    Http admin = anonymous.withToken("s3cret");

    for (Http refused : new Http[] {anonymous, wrong}) {
      var post = refused.post("/pipelines", single("guarded", "debug", "echo", "{}"));
      assertEquals(401, post.status(), post.raw());
      assertEquals("unauthorized", post.body().get("error").asText());
      assertEquals(401, refused.put("/pipelines/guarded", single("guarded", "debug", "echo", "{}")).status());
      assertEquals(401, refused.delete("/pipelines/echo").status());
    }
    assertEquals(404, anonymous.get("/pipelines/guarded").status(), "nothing was created");

    assertEquals(201, admin.post("/pipelines", single("guarded", "debug", "echo", "{}")).status());
    assertEquals(200, admin.put("/pipelines/guarded", single("guarded", "image", "info", "{}")).status());
    assertEquals(401, anonymous.delete("/pipelines/guarded").status());
    assertEquals(204, admin.delete("/pipelines/guarded").status());

    // Reading and validating change nothing: open to all.
    assertEquals(200, anonymous.get("/pipelines").status());
    assertEquals(200, anonymous.get("/tools").status());
    assertEquals(200, anonymous.post("/pipelines/validate", single("x", "debug", "echo", "{}")).status());
    assertEquals("token", anonymous.get("/workbench").body().get("admin").asText());
  }

  @Test
  void withoutATokenLoopbackClientsMayMutate() {
    try (TestServer server = TestServer.start()) {
      Http local = new Http(server.port());
      assertEquals(201, local.post("/pipelines", single("local", "debug", "echo", "{}")).status());
      assertEquals(204, local.delete("/pipelines/local").status());
    }
  }
}
