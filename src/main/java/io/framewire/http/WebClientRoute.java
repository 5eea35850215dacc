package io.framewire.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Serves the browser client: {@code GET /} is {@code web/index.html} and {@code GET /web/*} any file
 * under {@code web/} on the classpath (inside the jar).
 *
 * <p>Caching: every response carries {@code Cache-Control: no-cache} together with the
 * {@code ETag} and {@code Last-Modified} headers that Pekko derives from the resource. The browser
 * keeps its copy but revalidates on each load, which costs one small {@code 304 Not Modified} per
 * file and guarantees that a new jar's page is used at once (ES modules are loaded by many small
 * requests, and a stale {@code throttler.js} next to a fresh {@code app.js} would break the page).
 *
 * <p>Paths with {@code ..} segments (plain or percent-encoded) are rejected by Pekko's resource
 * directive, so nothing outside {@code web/} can be read; unknown files are rejected, which the
 * server's rejection handling turns into 404.
 */
public final class WebClientRoute extends AllDirectives {

  /** The classpath folder that holds the page. */
  public static final String RESOURCE_DIR = "web";

  private static final ContentType JAVASCRIPT = ContentTypes.parse("text/javascript; charset=UTF-8");

  private static final Map<String, ContentType> TYPES =
      Map.of(
          "html", ContentTypes.TEXT_HTML_UTF8,
          "js", JAVASCRIPT,
          "mjs", JAVASCRIPT,
          "css", ContentTypes.parse("text/css; charset=UTF-8"),
          "json", ContentTypes.APPLICATION_JSON,
          "svg", ContentTypes.parse("image/svg+xml"),
          "png", ContentTypes.parse("image/png"),
          "ico", ContentTypes.parse("image/x-icon"));

  private static final List<HttpHeader> HEADERS =
      List.of(
          CacheControl.create(CacheDirectives.NO_CACHE),
          RawHeader.create("X-Content-Type-Options", "nosniff"));

  private final ClassLoader classLoader = WebClientRoute.class.getClassLoader();

  public Route route() {
    return get(
        () ->
            respondWithHeaders(
                HEADERS,
                () ->
                    concat(
                        pathSingleSlash(
                            () ->
                                getFromResource(
                                    RESOURCE_DIR + "/index.html",
                                    ContentTypes.TEXT_HTML_UTF8,
                                    classLoader)),
                        pathPrefix(
                            PathMatchers.segment(RESOURCE_DIR).slash(),
                            () ->
                                getFromResourceDirectory(
                                    RESOURCE_DIR, WebClientRoute::contentType, classLoader)))));
  }

  /** The content type for a file name, by extension; unknown extensions are octet streams. */
  static ContentType contentType(String fileName) {
    int dot = fileName.lastIndexOf('.');
    String ext = dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    return TYPES.getOrDefault(ext, ContentTypes.APPLICATION_OCTET_STREAM);
  }
}
