package io.framewire.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.headers.Authorization;
import org.apache.pekko.http.javadsl.testkit.TestRoute;
import org.apache.pekko.http.javadsl.testkit.TestRouteResult;

/**
 * A small HTTP client for the workbench tests: JSON in, status and JSON out. Either over a real
 * server on 127.0.0.1 ({@link #Http(int)}), or through a route in pekko-http's route testkit ({@link
 * #Http(TestRoute)}: no port; each request carries the peer address 127.0.0.1, as the server would
 * set it for a loopback client).
 */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final RemoteAddress LOOPBACK = RemoteAddress.create(new InetSocketAddress("127.0.0.1", 40000));

  record Reply(int status, JsonNode body, String raw, Function<String, Optional<String>> headers) {
    Optional<String> header(String name) {
      return headers.apply(name);
    }
  }

  private final int port;
  private final TestRoute route;
  private final String token;

  Http(int port) {
    this(port, null, null);
  }

  Http(TestRoute route) {
    this(-1, route, null);
  }

  private Http(int port, TestRoute route, String token) {
    this.port = port;
    this.route = route;
    this.token = token;
  }

  Http withToken(String token) {
    return new Http(port, route, token);
  }

  Reply get(String path) {
    return send("GET", path, null);
  }

  Reply post(String path, String body) {
    return send("POST", path, body);
  }

  Reply put(String path, String body) {
    return send("PUT", path, body);
  }

  Reply delete(String path) {
    return send("DELETE", path, null);
  }

  Reply send(String method, String path, String body) {
    return route != null ? sendToRoute(method, path, body) : sendToPort(method, path, body);
  }

  private Reply sendToPort(String method, String path, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return reply(response.statusCode(), response.headers().firstValue("content-type").orElse(""), response.body(),
          name -> response.headers().firstValue(name));
    } catch (Exception e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    }
  }

  private Reply sendToRoute(String method, String path, String body) {
    org.apache.pekko.http.javadsl.model.HttpRequest request = org.apache.pekko.http.javadsl.model.HttpRequest.create(path)
        .withMethod(HttpMethods.lookup(method).orElseThrow())
        .addAttribute(AttributeKeys.remoteAddress, LOOPBACK);
    if (body != null) {
      request = request.withEntity(ContentTypes.APPLICATION_JSON, body);
    }
    if (token != null) {
      request = request.addHeader(Authorization.oauth2(token));
    }
    TestRouteResult response = route.run(request);
    return reply(response.statusCode(), response.contentTypeString(), response.entityString(),
        name -> response.response().getHeader(name).map(HttpHeader::value));
  }

  private static Reply reply(int status, String contentType, String raw, Function<String, Optional<String>> headers) {
    try {
      JsonNode json = raw == null || raw.isBlank() || !contentType.contains("json") ? null : JSON.readTree(raw);
      return new Reply(status, json, raw, headers);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + raw, e);
    }
  }

  /** A one-node pipeline definition as JSON. */
  static String single(String id, String plugin, String tool, String params) {
    return """
        {"id": "%s", "name": "Pipeline %s", "nodes": [{"id": "n", "plugin_id": "%s", "tool_id": "%s", "params": %s}],
         "edges": [], "entry_nodes": ["n"], "output_nodes": ["n"]}""".formatted(id, id, plugin, tool, params);
  }
}
