package io.framewire.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The page's static files over real HTTP, with only {@link WebClientRoute} bound. */
class WebClientRouteTest {

  private static ActorSystem<Void> system;
  private static ServerBinding binding;
  private static String base;
  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void start() throws Exception {
    system = ActorSystem.create(Behaviors.empty(), "web-client-route-test");
    binding =
        Http.get(system)
            .newServerAt("127.0.0.1", 0)
            .bind(new WebClientRoute().route())
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    base = "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  @AfterAll
  static void stop() throws Exception {
    binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static HttpResponse<String> get(String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String contentType(HttpResponse<?> response) {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  @Test
  void rootServesTheIndexPageAsHtml() throws Exception {
    HttpResponse<String> response = get("/");
    assertEquals(200, response.statusCode());
    assertEquals("text/html; charset=UTF-8", contentType(response));
    assertTrue(response.body().contains("id=\"results-count\""), response.body());
    assertTrue(response.body().contains("src=\"/web/app.js\""));
  }

  @Test
  void indexIsAlsoReachableUnderWeb() throws Exception {
    HttpResponse<String> response = get("/web/index.html");
    assertEquals(200, response.statusCode());
    assertEquals("text/html; charset=UTF-8", contentType(response));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "app.js", "throttler.js", "protocol.js", "overlay.js", "debug-panel.js", "errors.js"
      })
  void modulesAreServedAsJavascript(String file) throws Exception {
    HttpResponse<String> response = get("/web/" + file);
    assertEquals(200, response.statusCode());
    assertEquals("text/javascript; charset=UTF-8", contentType(response));
    assertTrue(response.body().startsWith("// @ts-check"), file + " is the module source");
  }

  @Test
  void stylesheetIsServedAsCss() throws Exception {
    HttpResponse<String> response = get("/web/style.css");
    assertEquals(200, response.statusCode());
    assertEquals("text/css; charset=UTF-8", contentType(response));
  }

  @Test
  void responsesMustBeRevalidatedAndCarryValidators() throws Exception {
    for (String path : new String[] {"/", "/web/app.js", "/web/style.css"}) {
      HttpResponse<String> response = get(path);
      assertEquals("no-cache", response.headers().firstValue("Cache-Control").orElse(""), path);
      assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(""));
      assertTrue(response.headers().firstValue("ETag").isPresent(), path + " has an ETag");
      assertTrue(response.headers().firstValue("Last-Modified").isPresent(), path);
    }
  }

  @Test
  void unchangedFilesRevalidateWithNotModified() throws Exception {
    HttpResponse<String> first = get("/web/throttler.js");
    String etag = first.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> byEtag = get("/web/throttler.js", "If-None-Match", etag);
    assertEquals(304, byEtag.statusCode());
    assertEquals("", byEtag.body());

    String lastModified = first.headers().firstValue("Last-Modified").orElseThrow();
    HttpResponse<String> byDate = get("/web/throttler.js", "If-Modified-Since", lastModified);
    assertEquals(304, byDate.statusCode());

    HttpResponse<String> otherEtag = get("/web/throttler.js", "If-None-Match", "\"something-else\"");
    assertEquals(200, otherEtag.statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/web/missing.js", "/web/", "/web", "/nothing.html", "/webapp.js", "/webindex.html"})
  void unknownFilesAre404(String path) throws Exception {
    assertEquals(404, get(path).statusCode(), path);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/web/../logback.xml",
        "/web/%2e%2e/logback.xml",
        "/web/%2E%2E/logback.xml",
        "/web/..%2flogback.xml",
        "/web/%2e%2e%2flogback.xml",
        "/web/..%5clogback.xml",
        "/web/../META-INF/services/io.framewire.tools.ToolPlugin",
        "/web/%2e%2e/io/framewire/http/WebClientRoute.class",
        "/web//logback.xml",
        "/web/%2flogback.xml",
      })
  void traversalCannotEscapeTheWebFolder(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertTrue(
        response.statusCode() == 404 || response.statusCode() == 400,
        path + " answered " + response.statusCode());
    assertFalse(response.body().contains("<configuration"), path + " leaked logback.xml");
    assertFalse(response.body().contains("DebugPlugin"), path + " leaked a service file");
  }

  @Test
  void contentTypeResolverFallsBackToOctetStream() {
    assertEquals("application/octet-stream", WebClientRoute.contentType("blob.bin").toString());
    assertEquals("text/javascript; charset=UTF-8", WebClientRoute.contentType("X.JS").toString());
  }
}
