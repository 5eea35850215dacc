package io.framewire.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The one error shape for what no route answers itself: pekko-http's rejections (no such path, a
 * method or an upgrade a path does not take, an entity over the size limit, …) and any exception a
 * route lets escape come back as {@code {"error": "not_found", "detail": "The requested resource
 * could not be found."}} instead of pekko's plain text. The error is the status's reason phrase as
 * a snake_case word; the detail is pekko's own sentence (it names the problem, never a class).
 */
public final class ErrorResponses {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorResponses() {}

  /**
   * {@code routes} sealed with pekko's rejection and exception handling, each resulting plain-text
   * error turned into the JSON shape.
   */
  public static Route sealed(Route routes) {
    return Directives.mapResponse(ErrorResponses::toJson, routes::seal);
  }

  /** A response of status ≥ 400 with a strict text body becomes the JSON shape; others pass unchanged. */
  static HttpResponse toJson(HttpResponse response) {
    if (response.status().intValue() < 400
        || !(response.entity() instanceof HttpEntity.Strict strict)
        || strict.getContentType().mediaType() != MediaTypes.TEXT_PLAIN) {
      return response;
    }
    return response.withEntity(body(response.status(), detail(strict.getData().decodeString(StandardCharsets.UTF_8))));
  }

  private static final Pattern SIZE_LIMIT = Pattern.compile("size limit \\((\\d+) bytes\\)");
  /** What names pekko's or a library's internals: exception classes, settings paths in backticks. */
  private static final Pattern INTERNALS = Pattern.compile("Exception|`|\\bjava\\.|\\bscala\\.|\\bpekko\\.");

  /**
   * pekko's sentence, cut where it starts quoting a cause: an entity over the limit says only that
   * and the limit ("EntityStreamSizeException: … `pekko.http.[server|client].parsing…`" is pekko's
   * wording); a malformed content keeps its first line, not the parser's message.
   */
  static String detail(String text) {
    Matcher size = SIZE_LIMIT.matcher(text);
    if (size.find()) {
      return "the request body exceeds the size limit of " + size.group(1) + " bytes";
    }
    String first = text.strip().lines().findFirst().orElse("").replaceAll(":$", "");
    return INTERNALS.matcher(first).find() ? "" : first;
  }

  /** {@code {"error": <reason as snake_case>, "detail": <detail>}}. */
  static HttpEntity.Strict body(StatusCode status, String detail) {
    ObjectNode json = JSON.createObjectNode();
    json.put("error", code(status));
    json.put("detail", detail.isBlank() ? status.reason() : detail.strip());
    return org.apache.pekko.http.javadsl.model.HttpEntities.create(ContentTypes.APPLICATION_JSON, json.toString());
  }

  /** "Request Entity Too Large" → "request_entity_too_large". */
  static String code(StatusCode status) {
    String words = status.reason().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
    return words.replaceAll("^_+|_+$", "");
  }
}
