package io.framewire.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.testkit.TestRoute;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The page's static files through {@link WebClientRoute} alone, with pekko-http's route testkit (no
 * port); the path-traversal attempts also through pekko-http's HTTP client and server layers
 * ({@code runClientServer}), so the raw request line is parsed as the server parses it.
 */
class WebClientRouteTest extends JupiterRouteTest {

  private final TestRoute route = testRoute(new WebClientRoute().route());

  private TestRouteResult get(String path, String... headers) {
    HttpRequest request = HttpRequest.GET(path);
    for (int i = 0; i < headers.length; i += 2) {
      request = request.addHeader(HttpHeader.parse(headers[i], headers[i + 1]));
    }
    return route.run(request);
  }

  private static String header(TestRouteResult response, String name) {
    return response.response().getHeader(name).map(HttpHeader::value).orElse("");
  }

  private static String contentType(TestRouteResult response) {
    return response.contentTypeString();
  }

  @Test
  void rootServesTheIndexPageAsHtml() {
    TestRouteResult response = get("/");
    assertEquals(200, response.statusCode());
    assertEquals("text/html; charset=UTF-8", contentType(response));
    assertTrue(response.entityString().contains("id=\"results-count\""), response.entityString());
    assertTrue(response.entityString().contains("src=\"/web/app.js\""));
  }

  @Test
  void indexIsAlsoReachableUnderWeb() {
    TestRouteResult response = get("/web/index.html");
    assertEquals(200, response.statusCode());
    assertEquals("text/html; charset=UTF-8", contentType(response));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "app.js", "throttler.js", "protocol.js", "overlay.js", "debug-panel.js", "errors.js"
      })
  void modulesAreServedAsJavascript(String file) {
    TestRouteResult response = get("/web/" + file);
    assertEquals(200, response.statusCode());
    assertEquals("text/javascript; charset=UTF-8", contentType(response));
    assertTrue(response.entityString().startsWith("// @ts-check"), file + " is the module source");
  }

  @Test
  void stylesheetIsServedAsCss() {
    TestRouteResult response = get("/web/style.css");
    assertEquals(200, response.statusCode());
    assertEquals("text/css; charset=UTF-8", contentType(response));
  }

  @Test
  void responsesMustBeRevalidatedAndCarryValidators() {
    for (String path : new String[] {"/", "/web/app.js", "/web/style.css"}) {
      TestRouteResult response = get(path);
      assertEquals("no-cache", header(response, "Cache-Control"), path);
      assertEquals("nosniff", header(response, "X-Content-Type-Options"));
      assertTrue(!header(response, "ETag").isEmpty(), path + " has an ETag");
      assertTrue(!header(response, "Last-Modified").isEmpty(), path);
    }
  }

  @Test
  void unchangedFilesRevalidateWithNotModified() {
    TestRouteResult first = get("/web/throttler.js");
    String etag = header(first, "ETag");
    TestRouteResult byEtag = get("/web/throttler.js", "If-None-Match", etag);
    assertEquals(304, byEtag.statusCode());
    assertEquals("", byEtag.entityString());

    String lastModified = header(first, "Last-Modified");
    TestRouteResult byDate = get("/web/throttler.js", "If-Modified-Since", lastModified);
    assertEquals(304, byDate.statusCode());

    TestRouteResult otherEtag = get("/web/throttler.js", "If-None-Match", "\"something-else\"");
    assertEquals(200, otherEtag.statusCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"/web/missing.js", "/web/", "/web", "/nothing.html", "/webapp.js", "/webindex.html"})
  void unknownFilesAre404(String path) {
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
        "/web/../META-INF/services/io.framewire.api.ToolPlugin",
        "/web/%2e%2e/io/framewire/http/WebClientRoute.class",
        "/web//logback.xml",
        "/web/%2flogback.xml",
      })
  void traversalCannotEscapeTheWebFolder(String path) {
    TestRouteResult response = route.runClientServer(HttpRequest.GET(path));
    assertTrue(
        response.statusCode() == 404 || response.statusCode() == 400,
        path + " answered " + response.statusCode());
    assertFalse(response.entityString().contains("<configuration"), path + " leaked logback.xml");
    assertFalse(response.entityString().contains("DebugPlugin"), path + " leaked a service file");
  }

  @Test
  void contentTypesFallBackToOctetStream() {
    assertEquals("application/octet-stream", WebClientRoute.contentType("blob.bin").toString());
    assertEquals("text/javascript; charset=UTF-8", WebClientRoute.contentType("X.JS").toString());
  }
}
